import { makeObserver, type VclmLogEvent } from "@vclm/core";

/**
 * Core's scrub (what an `Observer` does to each string it logs: URL queries, signatures, tokens
 * and bytes taken out), for the texts the batch gives a span after starting it: an `Observer`
 * scrubs a span's attributes at its start only. `@vclm/core` does not export `scrub`, so it is
 * borrowed through a logger that keeps the line it is given.
 */
export function scrubber(): (text: string) => string {
  let kept = "";
  const keep = ({ msg }: VclmLogEvent) => {
    kept = msg;
  };
  const observer = makeObserver({ logger: { debug: keep, info: keep, warn: keep, error: keep } });
  return (text) => {
    observer.log("debug", { msg: text, event: "scrub" });
    return kept;
  };
}
