/**
 * stderr as the CLI writes it. On a terminal: lines scroll above one status line (a job's progress,
 * a batch's counts) that is rewritten in place, so a line said while it shows neither cuts it nor
 * is cut by it. Elsewhere (a log, CI): each line its own.
 */
let status = "";

/** Writes a line: above the status line on a terminal. */
export function say(line: string): void {
  process.stderr.write(process.stderr.isTTY && status ? `\r\x1b[2K${line}\n${status}` : `${line}\n`);
}

/** Shows (on a terminal only) the status line, in place of the one before. */
export function showStatus(text: string): void {
  if (!process.stderr.isTTY) return;
  status = text;
  process.stderr.write(`\r\x1b[2K${text}`);
}

/** Leaves the status line as it is, and writes after it from now on. */
export function endStatus(): void {
  if (status) process.stderr.write("\n");
  status = "";
}
