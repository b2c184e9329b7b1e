/** A progress line: rewritten in place on a terminal, one line per change elsewhere. */
export function progress(enabled: boolean): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = "";
  return {
    update(text) {
      if (!enabled || text === last) return;
      last = text;
      process.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    done() {
      if (enabled && tty && last) process.stderr.write("\n");
    },
  };
}
