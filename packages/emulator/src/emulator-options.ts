import type { EmulatorAccount } from "./accounts.js";
import type { EmulatorOidcProvider } from "./actions/web-identity.js";
import type { EmulatorClock } from "./clock.js";
import type { Schedule } from "./jobs/store.js";
import type { EmulatorInstanceRole } from "./metadata.js";

/**
 * How to make an emulator. Every option has a default that suits a demo.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ clock: "manual", schedule: { waitMs: 1_000, runMs: 5_000 }, limits: { concurrentJobs: 3 } });
 * ```
 */
export interface EmulatorOptions {
  /** The accounts whose keys are accepted. @default [DEMO_ACCOUNT] */
  readonly accounts?: readonly EmulatorAccount[];
  /** How long jobs wait and run. @default { waitMs: 3_000, runMs: 12_000 } */
  readonly schedule?: Schedule;
  readonly limits?: {
    /** Jobs one account may have waiting or running (RequestLimitExceeded.JobNumExceed). @default 10 */
    readonly concurrentJobs?: number;
    /** Requests per second per account and action (RequestLimitExceeded). @default 20 */
    readonly requestsPerSecond?: number;
    /** Jobs kept; past this, the oldest are forgotten. @default 200_000 */
    readonly jobs?: number;
  };
  /** `"manual"` for a clock that moves only when told (tests), or a clock of your own. @default "real" */
  readonly clock?: "real" | "manual" | EmulatorClock;
  /** Answer browsers' cross-origin requests. The real service does not. @default false */
  readonly cors?: boolean;
  /** Download ImageUrl photos and check them (otherwise a URL is taken as a good photo). @default false */
  readonly fetchImageUrls?: boolean;
  /**
   * How long downloading an ImageUrl photo may take, from the request to the last byte, before the
   * Submit is answered FailedOperation.ImageDownloadError. However long it takes, no more than the
   * photo limit (10 MB) is read: a larger photo is FailedOperation.ImageSizeExceed. @default 10_000
   */
  readonly imageUrlTimeoutMs?: number;
  /** The base of video URLs. @default the origin each request came to */
  readonly publicUrl?: string;
  /**
   * Host names, besides loopback ones (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), that the
   * admin API and the metadata routes answer to: a request to any other host (the name a
   * DNS-rebinding page uses to reach this machine) gets 403. Add the name you reach them by when it
   * is not a loopback one (`metadata.tencentyun.com` through a proxy, a LAN name with `--host`).
   * @default []
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Make each job's video from its photo: a few seconds of the photo doing its template's dance
   * (each template its own, the same photo and template the same bytes), H.264 in
   * MP4 (decoded with jpeg-js or fast-png at the first download; the photos of the latest 32 jobs, up to 64 MB, are kept). A
   * photo given as an ImageUrl that is not fetched, or one that cannot be decoded, gets the
   * fixed sample video. @default true
   */
  readonly photoVideos?: boolean;
  /**
   * Identity providers whose OpenID Connect tokens STS `AssumeRoleWithWebIdentity` exchanges for
   * temporary credentials of one of their roles (sent unsigned, as TKE pods and CI jobs do). Each
   * needs its audience and its roles, with their policies: `createEmulator` throws a TypeError
   * naming a provider without them. @default none
   */
  readonly oidcProviders?: readonly EmulatorOidcProvider[];
  /**
   * Serve the CVM metadata service's credential routes under `/latest/meta-data/` with this role
   * bound (point `fromCvmRole`'s `endpoint` at `<emulator>/latest/meta-data/`). Without it, those
   * routes answer 404, as on an instance with no role. @default none
   */
  readonly instanceRole?: EmulatorInstanceRole;
  /** Serve the admin API under /_emulator/. @default true */
  readonly admin?: boolean;
  /**
   * Called after anything that changes state (for persistence), before the answer is sent.
   * `credentials` is true when temporary credentials were issued: a client keeps those for hours,
   * so losing them breaks it until they expire, and they are worth writing before answering.
   */
  readonly onChange?: (change: { readonly credentials: boolean }) => void;
}
