// Found by a review (issue 24), now fixed (low): redisRelayStore gave a quota window's counter a TTL of exactly "until the window
// ends by THIS instance's clock" (ttl(window.endsAt, now) in src/relay-store.ts). An instance whose
// clock is behind by s ms is still in that window for s ms after Redis deleted the counter, and
// takes from a fresh count: at each window's end, a user gets up to a whole second quota through
// the lagging instance. (Same for a replay claim's TTL: expiresAt - now of the claiming instance.)
// The window index is in the key already, so the TTL could simply outlast the window (+ a margin).
import { expect, it } from "vitest";
import { redisRelayStore } from "../../src/index.js";
import { sleep, useWorld } from "./world.js";

const w = useWorld();

it("two instances, one 400 ms behind: a window's quota of 3 is never exceeded", async () => {
  const command = w.command();
  const ahead = { store: redisRelayStore(command), now: () => Date.now() + 400 };
  const behind = { store: redisRelayStore(command), now: () => Date.now() };
  const key = `submit:${crypto.randomUUID()}`;
  // Wait until the clock that is ahead is 600 ms into a 1-second window (the other is then 200 ms in, same window).
  while ((Date.now() + 400) % 1000 !== 600) await sleep(1);
  const window = (now: number) => Math.floor(now / 1000);
  const taken: boolean[] = [];
  const used = window(ahead.now());
  for (let i = 0; i < 3; i++) taken.push(await ahead.store.take(key, 3, 1000, ahead.now())); // the quota, used up
  await sleep(450); // the counter's TTL (~400 ms) ran out; the instance behind is still in that window
  expect(window(behind.now())).toBe(used);
  taken.push(await behind.store.take(key, 3, 1000, behind.now()));
  console.log(JSON.stringify({ taken }));
  expect(taken).toEqual([true, true, true, false]);
});
