import type { TemporaryCredential } from "./accounts.js";
import { VideoLinks } from "./auth/video-links.js";
import type { Job } from "./jobs/store.js";
import type { Service } from "./service.js";

/**
 * What an emulator's state looks like on disk: what `emulator.snapshot()` gives and
 * `emulator.restore()` takes back.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * const state: EmulatorState = emulator.snapshot();
 * createEmulator().restore(state);
 * ```
 */
export interface EmulatorState {
  readonly jobs: Job[];
  readonly counter: number;
  readonly temporary: TemporaryCredential[];
  /** The key video links are signed with (64 hex digits), so they outlive a restart. Absent in state saved before links were signed. */
  readonly videoKey?: string;
}

/** The state worth keeping across a restart: jobs, unexpired temporary credentials and the video links' key. */
export function snapshotOf(service: Service): EmulatorState {
  return { ...service.jobs.snapshot(), temporary: service.credentials.live(), videoKey: service.videoLinks.key };
}

/** Takes back a {@link snapshotOf}. */
export function restoreInto(service: Service, state: EmulatorState): void {
  // State saved before links were signed has no key: this emulator's own is kept (and saved next).
  if (state.videoKey !== undefined) service.videoLinks = new VideoLinks(state.videoKey);
  service.jobs.restore(state);
  service.credentials.replace(state.temporary.map(withPolicy));
}

// State saved before policies were kept whole listed the allowed VCLM actions instead.
function withPolicy(credential: TemporaryCredential & { allowedActions?: readonly string[] }): TemporaryCredential {
  const { allowedActions, ...rest } = credential;
  if (!allowedActions || rest.policy) return rest as TemporaryCredential;
  return { ...rest, policy: [{ effect: "allow", actions: allowedActions.map((action) => `vclm:${action}`) }] };
}
