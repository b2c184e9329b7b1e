/**
 * `vclm/node`: {@link animate} for Node, Deno and Bun, where a photo may be a file's path and the
 * video can be saved to a file. Everything else is as in `vclm`.
 *
 * @example
 * ```ts run
 * import { animate } from "vclm/node";
 *
 * const video = await animate("dancer.jpg", { template: "tuziwu" });
 * await video.save("dancer-tuziwu.mp4", { replace: true });
 * ```
 *
 * @packageDocumentation
 */
// Everything of "vclm", with animate() and resume() of this entry (explicit exports win over `export *`).
export * from "./index.js";
export { animate, resume, type SavableVideo } from "./node/animate-file.js";
export { VideoFileError } from "./node/video-file-error.js";
