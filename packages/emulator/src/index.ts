/**
 * A faithful local VCLM service for demos and tests: the real wire protocol and signatures, STS
 * temporary credentials, jobs on a controllable clock with a real video at the end, the service's
 * limits and error codes, and scenarios (failures, latency, 5xx, dropped connections, lost answers).
 * A plain fetch handler: Node (through `@vclm/emulator/node`), Deno, Workers.
 *
 * @example
 * ```ts
 * import { SubmitImageAnimateJob, VclmClient } from "@vclm/core";
 * import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
 *
 * const emulator = createEmulator({ clock: "manual" });
 * // A client the emulator answers in-process, with no server: its fetch is the emulator's.
 * const fetch = (input: RequestInfo | URL, init?: RequestInit) => emulator.fetch(new Request(input, init));
 * const client = new VclmClient({ region: "ap-singapore", credentials: DEMO_ACCOUNT, fetch });
 * const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" });
 * emulator.clock.advance(15_000); // jobs submitted so far are DONE
 * ```
 *
 * @packageDocumentation
 */
export { DEMO_ACCOUNT, type EmulatorAccount, type TemporaryCredential } from "./accounts.js";
export type { EmulatorOidcProvider, EmulatorWebIdentityRole } from "./actions/web-identity.js";
export type { PolicyStatement } from "./auth/policy.js";
export { EmulatorClock } from "./clock.js";
export { DroppedConnection } from "./dropped.js";
export { createEmulator, type Emulator, type EmulatorOptions, type EmulatorState } from "./emulator.js";
export { type Job, JobStore, type Schedule, type Status } from "./jobs/store.js";
export type { EmulatorInstanceRole } from "./metadata.js";
export { type ChaosSpec, type FailureSpec, type Fault, type FaultSpec, Scenarios } from "./scenarios.js";
