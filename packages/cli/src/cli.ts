/**
 * `vclm/cli`: the `vclm` command line as a function: animate a photo with a dance template, submit,
 * describe and wait for jobs, or run a local emulator. Node only.
 *
 * @example
 * ```ts
 * import { main } from "vclm/cli";
 * process.exitCode = await main(["animate", "dancer.jpg", "--template", "ke3", "--emulator"]);
 * ```
 *
 * @packageDocumentation
 */
export { main } from "./main.js";
