/**
 * Parts the vclm packages share with each other: the pause after a failure, the rate window, the
 * account's learnt job limit, capped reads, base64, the video answer's rules, reading the
 * environment, and valibot issues in words (with the closest known name for a typo). **Unstable**: these
 * change with the packages that use them, in any release; an application should not import them.
 * What an application needs is in `@vclm/core`.
 *
 * @example
 * ```ts
 * import { backoff, RateWindow, sleep } from "@vclm/core/internal";
 *
 * const window = new RateWindow(20);
 * await sleep(window.take(Date.now()) + backoff(2, { first: 1_000, max: 60_000 }, Math.random));
 * ```
 *
 * @packageDocumentation
 */
export { issuesOf } from "./middleware/validate-input.js";
export { errorMessage, errorType } from "./observe/observer.js";
export { fromBase64, isBase64, toBase64 } from "./photo/base64.js";
export { backoff } from "./policy/backoff.js";
export { JobLimit } from "./policy/job-limit.js";
export { RateWindow } from "./policy/rate-window.js";
export { readEnv } from "./runtime/env.js";
export { readCapped } from "./util/read-capped.js";
export { sleep } from "./util/sleep.js";
export { closest } from "./util/suggest.js";
export { notAVideo, rangeHeaders, readVideoAnswer } from "./video/open-video.js";
