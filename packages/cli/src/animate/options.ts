import type { Credentials, CredentialsProvider, EnvRecord, TemplateId, VclmClient } from "@vclm/core";
import type { JobProgress } from "@vclm/poller";
import type { RetryOptions } from "@vclm/retry";

/**
 * How to animate a photo. Everything is optional: the template defaults to `ke3`, the region to the
 * API's one region (`ap-singapore`), the endpoint to the service, credentials to where the official
 * SDKs look, and retries are on.
 *
 * @example
 * ```ts
 * import type { AnimateOptions } from "vclm";
 *
 * const options: AnimateOptions = {
 *   template: "tuziwu",
 *   onProgress: (job) => console.log(job.Status), // WAIT, RUN, DONE
 *   signal: AbortSignal.timeout(20 * 60_000),
 * };
 * ```
 */
export interface AnimateOptions {
  /** The dance (see `TEMPLATES` in `@vclm/core`). @default "ke3" */
  readonly template?: TemplateId | undefined;
  /** Called with every change of the job's status: WAIT, RUN, then DONE or FAIL. */
  readonly onProgress?: ((job: JobProgress) => void) | undefined;
  /**
   * Called with the JobId as soon as the job exists, before any waiting. The job is paid for from
   * then on: keep the JobId, and a wait that stops can be resumed (`waitForJob` in `@vclm/poller`).
   */
  readonly onSubmitted?: ((JobId: string) => void) | undefined;
  /**
   * Called when a check of the job failed and will be tried again (the network, a 5xx, throttling),
   * with the error and how many in a row: so a wait that cannot reach the service is not silent.
   */
  readonly onCheckFailed?: ((error: unknown, failures: number) => void) | undefined;
  /** Stops the call. After the Submit, the error carries the JobId: the job may still finish. */
  readonly signal?: AbortSignal | undefined;
  /** How long to wait for the job, in ms. @default 1_800_000 (30 minutes) */
  readonly maxWait?: number | undefined;
  /**
   * The region. @default the `VCLM_REGION` variable, else `"ap-singapore"`
   */
  readonly region?: string | undefined;
  /**
   * Where requests go: the service, a relay, or an emulator (`vclm emulator` prints its URL).
   * @default the `VCLM_ENDPOINT` variable, else the service
   */
  readonly endpoint?: string | undefined;
  /**
   * The key. @default `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` (and
   * `TENCENTCLOUD_SESSION_TOKEN`) from `env`; without `env`, where the official SDKs look (on Node,
   * Deno and Bun also the profile file and the cloud roles)
   */
  readonly credentials?: Credentials | CredentialsProvider | undefined;
  /**
   * Where `VCLM_ENDPOINT`, `VCLM_REGION` and `TENCENTCLOUD_*` are read. In a Worker, pass its `env`.
   * @default the runtime's environment (`process.env`, `Deno.env`), none in browsers
   */
  readonly env?: EnvRecord | undefined;
  /**
   * Retries of transient faults (never a second paid Submit), or `false` for none.
   * @default the defaults of `@vclm/retry`
   */
  readonly retry?: RetryOptions | false | undefined;
  /** The fetch to send requests and download the video with. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
  /**
   * A client of your own (its plugins, its relay): region, endpoint, credentials, env, retry and
   * fetch are then not used; the video is downloaded with `fetch` if given.
   */
  readonly client?: VclmClient | undefined;
}
