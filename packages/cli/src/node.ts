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
export { TEMPLATE_IDS, TEMPLATES, type TemplateId } from "@vclm/core";
export type { JobProgress } from "@vclm/poller";
export type { AnimateOptions } from "./animate/options.js";
export type { Photo } from "./animate/photo-input.js";
export type { Video } from "./animate/video.js";
export { animate, type SavableVideo } from "./node/animate-file.js";
