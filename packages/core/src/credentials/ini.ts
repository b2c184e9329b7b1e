/**
 * Parses an ini file the way Tencent Cloud's credentials files are written: `[section]` lines,
 * `key = value` lines, `#` and `;` comments, blank lines; a value may be quoted. Anything else is
 * refused with its line number, never its text (the file holds secrets).
 */
export function parseIni(text: string): { sections: Map<string, Map<string, string>> } | { badLine: number; problem: string } {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]$/.exec(line)?.[1]?.trim();
    if (section) {
      current = sections.get(section) ?? new Map();
      sections.set(section, current);
      continue;
    }
    const entry = /^([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (!entry) return { badLine: index + 1, problem: "is neither a [section] nor key = value" };
    if (!current) return { badLine: index + 1, problem: "is a key = value before any [section]" };
    const [, key = "", value = ""] = entry;
    current.set(key, /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value);
  }
  return { sections };
}
