// The relay in the deterministic simulation, real code end to end: pages (page.ts) ask the
// credentials handler for temporary credentials and send signed Submits and Describes to the
// relay; the relay reaches its store, the real RelayStoreObject through durableObjectStore, over a
// network where a call may be refused, cut, or processed with its answer lost; it forwards to the
// emulator's service logic. Each relay life is a process whose store calls, STS calls and forwards
// are its operations; the store's storage outlives every relay crash, and a crashed relay is
// replaced at once (a new Worker instance). The service's side records what truly happened: the
// jobs made per user and every Describe it answered.
import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { createCredentialsHandler, createRelay } from "@vclm/relay";
import { type NetworkFaults, type SimProcess, Simulation, type SimulationOptions, simFetch } from "@vclm/tools/sim";
import { RelayStoreObject } from "../../../src/index.js";
import { mapStorage } from "./map-storage.js";
import { animate, describe, pageClient, replaying } from "./page.js";
import { type Server, serve } from "./serve.js";
import { type Notes, recordedService } from "./service.js";
import { loggedObject, storeLink } from "./store-link.js";

const DAY = 86_400_000;
const SERVICE_HOST = "vclm.emulator.test";
const SERVICE = `http://${SERVICE_HOST}/`;
/** The relay's outbound address: the credentials work only from there (qcs:ip). */
const RELAY_ADDRESS = "203.0.113.7";

/** The network hops: page to relay, relay to store, relay to service. */
export type Hop = "browser" | "store" | "service";

export interface RelayWorldOptions extends Omit<SimulationOptions, "start"> {
  readonly users: number;
  /** Photos each user submits at once (each clicked again after a failure). */
  readonly submits: number;
  /** The relay's submitsPerDay. */
  readonly quota: number;
  /** How many of the users (the first ones) send every Submit twice at once, a replay. @default 0 */
  readonly replayers?: number;
  /** How many times a user tries one photo. @default 3 */
  readonly clicks?: number;
  /** Relay instances up at once, on the one store; each request goes to one the seed picks. @default 1 */
  readonly relays?: number;
  /** The first relay's crash point: right after its k-th operation. */
  readonly crashAt?: number;
  /** A relay life crashes at a point drawn from the seed, with this chance (the first one always, when above 0). @default 0 */
  readonly crashChance?: number;
  /** The k-th call to reach `hop` is refused, cut on its way (never processed), or processed with its answer lost. */
  readonly fault?: { readonly hop: Hop; readonly at: number; readonly mode: keyof NetworkFaults };
  /** Each call's chance of each fault, per hop. */
  readonly faults?: { readonly [hop in Hop]?: NetworkFaults };
  /** The account's concurrent-job limit (JobNumExceed past it: a refund). @default 3 */
  readonly concurrentJobs?: number;
}

/** What a run did: the truth from the service's side, and the relay's records. */
export interface RelayRun {
  /** Every page got to its end. */
  readonly finished: boolean;
  /** Jobs the service made, per user. */
  readonly jobs: ReadonlyMap<string, number>;
  /** Units of today's quota the store holds as taken, per user. */
  readonly charged: ReadonlyMap<string, number>;
  /** Broken promises seen during the run. */
  readonly violations: readonly string[];
  /** What the store and the service did, in order, for a failure's report. */
  readonly log: readonly string[];
  /** Operations of the first relay life (its store calls, STS calls and forwards). */
  readonly relayOps: number;
  /** Calls that reached each hop. */
  readonly calls: Readonly<Record<Hop, number>>;
  readonly trace: readonly string[];
}

/** Tomorrow, midday UTC: core's fromEndpoint checks ExpiredTime against the real clock (ahead, within 7 days), and no signed date straddles a midnight. */
const tomorrow = () => (Math.floor(Date.now() / DAY) + 1) * DAY + DAY / 2;

export async function runRelayWorld(options: RelayWorldOptions): Promise<RelayRun> {
  const { users, submits, quota, clicks = 3, relays = 1, crashChance = 0, replayers = 0 } = options;
  const sim = new Simulation({ ...options, start: tomorrow() });
  const emulator = createEmulator({ clock: "manual", limits: { concurrentJobs: options.concurrentJobs ?? 3 } });
  const notes: Notes = { violations: [], log: [] };
  const storage = mapStorage();
  const object = loggedObject(new RelayStoreObject({ storage }), notes);
  const clients = new Set<VclmClient>();
  const sync = (now: number) => {
    emulator.clock.set(now);
    for (const client of clients) client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  };
  sim.onTime.push(sync);

  const calls: Record<Hop, number> = { browser: 0, store: 0, service: 0 };
  const faultsOn = (hop: Hop) => (): NetworkFaults => {
    const { fault } = options;
    if (++calls[hop] === fault?.at && fault.hop === hop) return { [fault.mode]: 1 };
    return options.faults?.[hop] ?? {};
  };
  const userOf = (secretId: string) => {
    const entry = storage.data.get(`secret:${secretId}`) as { value: string } | undefined;
    return entry ? (JSON.parse(entry.value) as { user: string }).user : `the holder of ${secretId}`;
  };
  const service = recordedService(emulator, RELAY_ADDRESS, userOf, notes);

  const up: Server[] = [];
  let first: SimProcess | undefined;
  let lives = 0;
  const authorize = (request: Request) => {
    const id = request.headers.get("x-user");
    return id ? { id } : undefined;
  };
  const crashPoint = (span: number) =>
    crashChance && (lives === 0 || (lives < 20 && sim.random.chance(crashChance))) ? 1 + sim.random.int(span) : undefined;
  /** A relay life: the app's credentials handler and relay, on the shared store. */
  function startRelay(crashAt: number | undefined): void {
    lives++;
    const process = sim.process({ crashAt });
    first ??= process;
    const store = storeLink(process, object, faultsOn("store"), notes);
    const toService = simFetch(process, service.handle, faultsOn("service"));
    const sts = new VclmClient({ region: "ap-singapore", endpoint: SERVICE, credentials: DEMO_ACCOUNT, fetch: toService });
    clients.add(sts);
    sync(sim.now);
    const { clock } = process;
    const relay = createRelay({
      authorize,
      store,
      target: SERVICE,
      signingHost: SERVICE_HOST,
      submitsPerDay: quota,
      fetch: toService,
      clock,
    });
    const credentials = createCredentialsHandler({ authorize, sts, store, bindTo: `${RELAY_ADDRESS}/32`, now: clock.now });
    const handle = (request: Request) => (new URL(request.url).pathname === "/api/credentials" ? credentials(request) : relay(request));
    up.push({ process, handle });
  }
  sim.onCrash.push((dead) => {
    const at = up.findIndex((server) => server.process === dead);
    if (at < 0) return;
    up.splice(at, 1);
    startRelay(crashPoint(40));
  });
  startRelay(options.crashAt ?? crashPoint(80));
  for (let i = 1; i < relays; i++) startRelay(crashPoint(80));
  const pick = () => (up.length > 1 ? sim.random.pick(up) : up[0]);

  // The users: each submits its photos, then (once everyone has) describes its own jobs and, as a
  // curious user would, everyone else's it has heard of.
  const names = Array.from({ length: users }, (_, i) => `user${i}`);
  const heard = new Map<string, string>(); // JobId -> the user the page gave it to
  let submitting = names.length;
  let allSubmitted = () => {};
  const everyoneSubmitted = new Promise<void>((resolve) => (allSubmitted = resolve));
  // Each page's code runs as its process: what it asks of Web Crypto is its own.
  const runAs = (name: string, replays: boolean) => {
    const process = sim.process();
    return process.run(() => user(process, name, replays));
  };
  async function user(process: SimProcess, name: string, replays: boolean): Promise<void> {
    const toApp = serve(process, pick, faultsOn("browser"));
    const client = pageClient(name, process, replays ? replaying(toApp) : toApp, SERVICE_HOST);
    clients.add(client);
    sync(sim.now);
    const mine = await animate(client, process, name, submits, clicks);
    for (const JobId of mine) heard.set(JobId, name);
    if (--submitting === 0) allSubmitted();
    await everyoneSubmitted;
    await describe(client, mine);
    const others = [...heard].filter(([, owner]) => owner !== name).map(([JobId]) => JobId);
    for (const JobId of await describe(client, others)) notes.violations.push(`${name} was told ${heard.get(JobId)}'s job ${JobId}`);
  }

  let ended = 0;
  for (const [i, name] of names.entries())
    void runAs(name, i < replayers).then(
      () => ended++,
      (error: Error) => {
        ended++;
        notes.violations.push(`${name}'s page threw: ${error.stack ?? error}`);
      },
    );
  const finished = await sim.run(() => ended === names.length);
  await sim.run(); // what the relays still had in flight (a refund, an owner record) lands too

  const charged = new Map<string, number>();
  const jobs = new Map<string, number>();
  for (const name of names) {
    jobs.set(name, service.jobs.get(name) ?? 0);
    const entry = storage.data.get(`submit:${name}@${Math.floor(sim.now / DAY)}`) as { value: string } | undefined;
    charged.set(name, Number(entry?.value ?? 0));
  }
  return { finished, jobs, charged, ...notes, relayOps: first?.ops ?? 0, calls, trace: sim.trace };
}

let warm: Promise<unknown> | undefined;

/**
 * One fixed run, once per process, before any explored one: the code keeps caches across runs (the
 * signer's derived keys, by day), so the first run takes steps later ones skip. Warmed first, every
 * run starts from the same state, in a long run or replayed alone.
 */
export function warmUp(): Promise<unknown> {
  warm ??= runRelayWorld({ seed: 0, users: 1, submits: 1, quota: 1 });
  return warm;
}
