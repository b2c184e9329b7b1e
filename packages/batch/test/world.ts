// A batch on the emulator's clock: the poller's virtual world, photos that differ, a save that
// fetches each video from the emulator (checked by openVideo), and the counts every test asserts.
import { openVideo } from "@vclm/core";
import { makeJpeg } from "@vclm/tools/photos";
import { virtualWorld } from "../../poller/bench/virtual-time.js";
import { type AnimateManyOptions, animateMany, type BatchPhoto, type BatchReport, type Journal, memoryJournal } from "../src/index.js";

export type World = ReturnType<typeof virtualWorld>;

export { virtualWorld };

/** `count` distinct valid photos (JPEG headers of different widths). */
export const photos = (count: number, from = 0): BatchPhoto[] =>
  Array.from({ length: count }, (_, i) => ({ name: `p${from + i}.jpg`, photo: makeJpeg(600 + from + i, 1000) }));

/** Keeps each video's length, fetched through the emulator's own handler. */
export function memorySave(world: World) {
  const saved = new Map<string, number>();
  const save: AnimateManyOptions["save"] = async ({ JobId, url, signal }) => {
    const { body } = await openVideo(url, { fetch: (input, init) => world.emulator.fetch(new Request(input, init)), signal });
    const bytes = (await new Response(body).arrayBuffer()).byteLength;
    saved.set(JobId, bytes);
    return { location: `memory:${JobId}`, bytes };
  };
  return { saved, save };
}

/** Runs a batch to its end on the virtual clock. */
export async function runBatch(
  world: World,
  list: BatchPhoto[],
  options: Partial<AnimateManyOptions> & { journal?: Journal } = {},
): Promise<BatchReport> {
  const { save } = options.save ? { save: options.save } : memorySave(world);
  let result: { report?: BatchReport; error?: unknown } | undefined;
  animateMany(world.client, list, { journal: await memoryJournal(), save, clock: world.clock, ...options }).then(
    (report) => (result = { report }),
    (error) => (result = { error }),
  );
  await world.run(() => result !== undefined);
  if (!result) throw new Error("the batch never ended");
  if ("error" in result) throw result.error;
  return result.report as BatchReport;
}

/** What the emulator made: jobs, and photos with more than one job (must be none). */
export function jobCounts(world: World) {
  const perPhoto = new Map<string, number>();
  for (const job of world.emulator.jobs.all()) perPhoto.set(job.photo, (perPhoto.get(job.photo) ?? 0) + 1);
  return { jobs: [...perPhoto.values()].reduce((a, b) => a + b, 0), doubled: [...perPhoto.values()].filter((n) => n > 1).length };
}

/** The most calls of one action in any one second of virtual time. */
export function busiestSecond(world: World, action: string): number {
  const perSecond = new Map<number, number>();
  for (const call of world.calls)
    if (call.action === action) perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}
