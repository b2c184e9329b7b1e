/**
 * Tencent Cloud VCLM on Cloudflare Workers at scale: the account's {@link Coordinator} (one
 * Durable Object per account), photos streamed into R2 ({@link storePhoto}) behind signed,
 * expiring links ({@link photoLink}), and bearer tokens for signed-in users ({@link verifyToken}).
 * `apps/worker` in the repository is a whole service built from them.
 *
 * @example
 * ```ts
 * import { Coordinator, photoLink, storePhoto, verifyToken } from "@vclm/workers";
 * ```
 *
 * @packageDocumentation
 */
export { Coordinator, type CoordinatorEnv, type CoordinatorStorage, type Submission, type SubmissionState } from "./coordinator.js";
export { PHOTO_LINK_TTL_MS, photoLink, verifyPhotoLink } from "./photo-link.js";
export { storePhoto, UploadError } from "./store-photo.js";
export { signToken, verifyToken } from "./token.js";
export type { R2Bucket, R2Object } from "./workers-types.js";
