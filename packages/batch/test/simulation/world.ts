// The batch in the deterministic simulation: `vclm animate photos/ --out-dir /out` as the CLI
// composes it (fileJournal and saveToDirectory in the output folder, animateMany with retries),
// on a simulated disk and network, against the emulator's service logic, on virtual time. One
// world is one seed: its photos, its disk, its service; each life of the command is a process.
import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { retry } from "@vclm/retry";
import { makePng } from "@vclm/tools/photos";
import { type NetworkFaults, SimDisk, type SimProcess, Simulation, type SimulationOptions, simFetch } from "@vclm/tools/sim";
import { type AnimateManyOptions, animateMany, BatchInterruptedError, type BatchPhoto, type BatchReport } from "../../src/index.js";
import { fileJournal, saveToDirectory } from "../../src/node.js";

export const OUT = "/out";
export const JOURNAL = `${OUT}/.vclm-journal.jsonl`;
const ENDPOINT = "http://vclm.emulator.test/";

/** Photos whose videos all differ (the emulator draws each video from its photo). */
export const photos = (count: number): BatchPhoto[] =>
  Array.from({ length: count }, (_, i) => ({ name: `p${i}.png`, photo: makePng(600, 1000, { pattern: 17 * i + 3 }) }));

export interface WorldOptions extends SimulationOptions {
  readonly photos: number;
  readonly faults?: NetworkFaults;
}

/** How one life of the command ended. */
export type Life =
  | { readonly process: SimProcess; readonly report: BatchReport; readonly error?: undefined }
  | { readonly process: SimProcess; readonly report?: BatchReport | undefined; readonly error: unknown }
  | { readonly process: SimProcess; readonly crashed: true; readonly report?: undefined; readonly error?: undefined };

export function batchWorld(options: WorldOptions) {
  const sim = new Simulation(options);
  const disk = new SimDisk();
  const emulator = createEmulator({ clock: "manual", schedule: { waitMs: 2_000, runMs: 6_000 }, limits: { concurrentJobs: 3 } });
  const list = photos(options.photos);
  let faults: NetworkFaults = options.faults ?? {};
  const clients = new Set<VclmClient>();
  const sync = (now: number) => {
    emulator.clock.set(now);
    for (const client of clients) client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  };
  sim.onTime.push(sync);
  const alive = new Set<number>();

  /** One life of the command; resolves when it ends, crashes or stops moving. */
  async function life(
    options: {
      crashAt?: number;
      power?: boolean;
      resubmitUnsure?: AnimateManyOptions["resubmitUnsure"];
      adopt?: AnimateManyOptions["adopt"];
    } = {},
  ): Promise<Life> {
    const process = sim.process({ crashAt: options.crashAt });
    alive.add(process.pid);
    sim.onCrash.push((dead) => {
      if (dead === process) disk.crash(options.power ? "power" : "process");
    });
    const files = disk.files(process) as never;
    const fetch = simFetch(
      process,
      (request) => emulator.fetch(request),
      () => faults,
    );
    const client = new VclmClient({
      region: "ap-singapore",
      endpoint: ENDPOINT,
      credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
      fetch,
    }).use(retry({ clock: process.clock }));
    clients.add(client);
    sync(sim.now);
    const processes = {
      pid: process.pid,
      host: "sim",
      namespace: "",
      alive: (pid: number) => alive.has(pid) && !(pid === process.pid && process.dead),
    };
    let ended: Life | undefined;
    const command = async (): Promise<Life> => {
      const videos = await saveToDirectory(OUT, { files, fetch });
      const journal = await fileJournal(JOURNAL, { files, processes });
      try {
        const report = await animateMany(client, list, {
          journal,
          ...videos,
          clock: process.clock,
          resubmitUnsure: options.resubmitUnsure,
          adopt: options.adopt,
          maxWait: 600_000,
        });
        return { process, report };
      } catch (error) {
        return { process, error, report: error instanceof BatchInterruptedError ? error.report : undefined };
      } finally {
        await journal.close();
      }
    };
    command().then(
      (result) => (ended = result),
      (error) => (ended = { process, error }),
    );
    await sim.run(() => ended !== undefined || process.dead);
    alive.delete(process.pid);
    clients.delete(client);
    return ended ?? { process, crashed: true };
  }

  return {
    sim,
    disk,
    emulator,
    list,
    life,
    setFaults(next: NetworkFaults) {
      faults = next;
    },
  };
}
