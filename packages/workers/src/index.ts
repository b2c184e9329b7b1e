/**
 * Tencent Cloud VCLM on Cloudflare Workers: the one adapter between the vclm packages and a
 * Worker's bindings. The account's {@link Coordinator} (one Durable Object per account), photos
 * streamed into R2 ({@link storePhoto}) behind signed, expiring links ({@link photoLink}), the
 * relay's store in a Durable Object ({@link RelayStoreObject}, {@link durableObjectStore}) and a
 * batch's journal in one ({@link durableObjectJournal}). Each takes the part of a binding it uses
 * ({@link DurableStorageLike}, {@link R2BucketLike}), which the real bindings fit. `apps/worker` in
 * the repository is a whole service built from them.
 *
 * @example
 * ```ts
 * import { Coordinator, durableObjectStore, photoLink, storePhoto } from "@vclm/workers";
 * ```
 *
 * @packageDocumentation
 */
export { durableObjectJournal } from "./batch-journal.js";
export { Coordinator, type CoordinatorEnv, type Submission, type SubmissionState } from "./coordinator.js";
export { PHOTO_LINK_TTL_MS, photoLink, verifyPhotoLink } from "./photo-link.js";
export { durableObjectStore, RelayStoreObject } from "./relay-store.js";
export { storePhoto, UploadError } from "./store-photo.js";
export type { DurableObjectNamespaceLike, DurableStorageLike, R2BucketLike, R2ObjectLike } from "./workers-types.js";
