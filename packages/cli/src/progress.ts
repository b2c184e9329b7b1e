import { endStatus, say, showStatus } from "./status-line.js";

/** A progress line: rewritten in place on a terminal, one line per change elsewhere. */
export function progress(enabled: boolean): { update(text: string): void; done(): void } {
  let last = "";
  return {
    update(text) {
      if (!enabled || text === last) return;
      last = text;
      if (process.stderr.isTTY) showStatus(text);
      else say(text);
    },
    done() {
      if (enabled && last) endStatus();
    },
  };
}
