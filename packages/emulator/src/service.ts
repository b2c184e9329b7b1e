import { type OidcProvider, oidcProvidersOf } from "./actions/web-identity.js";
import { allowedHostsOf } from "./auth/hosts.js";
import { VideoLinks } from "./auth/video-links.js";
import { EmulatorClock } from "./clock.js";
import { CredentialIssuer } from "./credential-issuer.js";
import type { EmulatorOptions } from "./emulator-options.js";
import { JobStore } from "./jobs/store.js";
import { RateLimiter } from "./limits.js";
import { Scenarios } from "./scenarios.js";
import { VideoCache } from "./video/video-cache.js";

/**
 * The emulator's parts: everything a request may read or change, made once from the options. The
 * router, the request checks and the state each take what they need from here.
 */
export interface Service {
  readonly options: EmulatorOptions;
  readonly clock: EmulatorClock;
  readonly scenarios: Scenarios;
  readonly jobs: JobStore;
  readonly rate: RateLimiter;
  readonly credentials: CredentialIssuer;
  readonly videos: VideoCache;
  /** Replaced when a saved state brings its own key, so links outlive a restart. */
  videoLinks: VideoLinks;
  readonly allowedHosts: ReadonlySet<string>;
  readonly oidcProviders: readonly OidcProvider[];
}

/** The parts of an emulator with these options. Throws a TypeError for an option that cannot work (an OIDC provider not set up right, a timeout that is no time). */
export function serviceOf(options: EmulatorOptions): Service {
  const { imageUrlTimeoutMs } = options;
  if (imageUrlTimeoutMs !== undefined && !(Number.isFinite(imageUrlTimeoutMs) && imageUrlTimeoutMs > 0))
    throw new TypeError("imageUrlTimeoutMs must be a positive number of milliseconds");
  const clock = options.clock instanceof EmulatorClock ? options.clock : new EmulatorClock(options.clock ?? "real");
  const credentials = new CredentialIssuer(options.accounts, clock, () => options.onChange?.({ credentials: true }));
  return {
    options,
    clock,
    scenarios: new Scenarios(),
    jobs: new JobStore(options.limits?.jobs ?? 200_000),
    rate: new RateLimiter(options.limits?.requestsPerSecond ?? 20),
    credentials,
    videos: new VideoCache(),
    videoLinks: new VideoLinks(),
    allowedHosts: allowedHostsOf(options.allowedHosts),
    oidcProviders: oidcProvidersOf(options.oidcProviders, credentials.firstAccountId()),
  };
}
