// The emulator's memory with 100,000 finished jobs kept: heap and RSS after GC, before and after.
import { createEmulator } from "../dist/index.js";

const settle = () => {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage();
};
const emulator = createEmulator({ clock: "manual", limits: { jobs: 200_000 } });
const before = settle();
const templates = ["ke3", "tuziwu", "huajiangwu"];
for (let i = 0; i < 100_000; i++) {
  emulator.jobs.create({
    accountId: "100000000001",
    createdAt: emulator.clock.now(),
    waitMs: 3_000,
    runMs: 12_000,
    templateId: templates[i % 3],
    photo: `https://example.com/photos/${i}.jpg`,
    segment: i % 2 === 0,
  });
}
emulator.clock.advance(60_000); // all finished
emulator.jobs.activeCount("100000000001", emulator.clock.now()); // what the next Submit does: finished jobs leave the active set
const after = settle();
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(
  JSON.stringify([
    {
      jobs: emulator.jobs.size,
      "heap (MB)": mb(after.heapUsed - before.heapUsed),
      "RSS (MB)": mb(after.rss - before.rss),
      "bytes per job (heap)": Math.round((after.heapUsed - before.heapUsed) / emulator.jobs.size),
    },
  ]),
);
