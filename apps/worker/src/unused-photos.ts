// A photo is kept in R2 only while a job may still need it. The coordinator deletes it when its job
// ends DONE or FAIL; this deletes it when a submission ends with no job to follow: `refused` (the
// service made no job) or `maybe-submitted` (its Submit's answer was lost: the job may exist, but it
// is never sent again and nobody can follow it). It watches the coordinator's storage: the moment
// such a state is stored, the photo is deleted first, so a visitor who sees the state knows the
// photo is gone. A delete that fails is noted (`unused-photo:<id>`) and tried again after each
// round, never thrown back at the coordinator: a thrown save could make it send a Submit again.
import type { DurableStorageLike, R2BucketLike } from "@vclm/workers";

/** The states in which a submission has no job left to use its photo, and the coordinator does not delete it. */
const NO_JOB = new Set(["refused", "maybe-submitted"]);
const MARK = "unused-photo:";
/** When a delete failed, the next try: an alarm at most this far off. */
const RETRY_MS = 60_000;

/** `storage` for a Coordinator, deleting a submission's photo from `bucket` when it is stored as refused or maybe-submitted. */
export function deletingUnusedPhotos(storage: DurableStorageLike, bucket: R2BucketLike): DurableStorageLike {
  return {
    get: (key) => storage.get(key),
    delete: (key) => storage.delete(key),
    list: (options) => storage.list(options),
    setAlarm: (at) => storage.setAlarm(at),
    getAlarm: () => storage.getAlarm(),
    async put(key, value) {
      const entry = value as { id?: unknown; state?: unknown; photo?: unknown };
      if (key.startsWith("job:") && NO_JOB.has(entry.state as string) && typeof entry.photo === "string")
        await bucket.delete(entry.photo).catch(() => storage.put(`${MARK}${entry.id}`, entry.photo));
      await storage.put(key, value);
    },
  };
}

/** Tries again the deletes that failed; while some are left, makes sure an alarm comes back for them. */
export async function sweepUnusedPhotos(storage: DurableStorageLike, bucket: R2BucketLike): Promise<void> {
  const marks = await storage.list<string>({ prefix: MARK });
  let left = 0;
  for (const [mark, photo] of marks) {
    try {
      await bucket.delete(photo);
      await storage.delete(mark);
    } catch {
      left++;
    }
  }
  const alarm = await storage.getAlarm();
  if (left && (alarm === null || alarm > Date.now() + RETRY_MS)) await storage.setAlarm(Date.now() + RETRY_MS);
}
