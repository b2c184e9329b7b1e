// Virtual time for the poller's tests and bench: sleeps wait on a virtual clock that jumps to the
// next wake-up once every request in flight has been answered. The emulator's clock is that
// virtual clock, and the client's clock offset follows it, so signatures stay valid across hours of
// virtual time. Requests go to the emulator's fetch handler in-process (no sockets).
import { VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";

const never = () => false;

export function virtualWorld({ schedule, limits = {} } = {}) {
  const emulator = createEmulator({
    clock: "manual",
    schedule,
    limits: { requestsPerSecond: 1_000_000, concurrentJobs: 1_000_000, ...limits },
  });
  const start = emulator.clock.now();
  let now = start;
  let inFlight = 0;
  const timers = []; // { at, seq, resolve }
  let seq = 0;
  const describes = []; // virtual times of each Describe request
  const calls = []; // { action, at } of every API request
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const action = request.headers.get("x-tc-action");
      if (action) calls.push({ action, at: now });
      if (action === "DescribeImageAnimateJob") describes.push(now);
      return emulator.fetch(request);
    },
  });
  // A call is in flight from its first middleware to its answer, so the clock never moves while a
  // call is being checked, encoded or signed (Web Crypto answers in real time, slower under load).
  client.middleware.add(
    async (_context, next) => {
      inFlight++;
      try {
        await next();
      } finally {
        inFlight--;
      }
    },
    { name: "virtualWorldInFlight", phase: "initialize" },
  );
  const sync = () => {
    emulator.clock.set(now);
    client.state.clockOffset = Math.round((now - Date.now()) / 1000);
  };
  sync();
  // Like core's sleep, it removes its abort listener when it wakes: tests count a signal's listeners.
  const sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        const at = timers.indexOf(timer);
        if (at >= 0) timers.splice(at, 1);
        reject(signal.reason);
      };
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const timer = { at: now + Math.max(0, ms), seq: seq++, resolve: wake };
      timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  /** Runs until `done()` is true or nothing is left to wait for. */
  async function run(done = never) {
    for (let idle = 0; ; ) {
      // Let every request in flight, and what follows from it, finish in real time.
      do await new Promise((resolve) => setTimeout(resolve, 0));
      while (inFlight > 0);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      if (done()) return;
      if (!timers.length) {
        // Nothing waits on the virtual clock; something may still wait in real time (a retry's
        // short backoff). Give it a moment before deciding nothing is left.
        if (++idle > 100) {
          if (done !== never) throw new Error("virtual world: nothing is left to wait for, and the awaited condition never came true");
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      idle = 0;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      now = Math.max(now, next.at);
      sync();
      next.resolve();
    }
  }
  const clock = { now: () => now, sleep, random: Math.random };
  return { emulator, client, sleep, now: () => now, clock, elapsed: () => now - start, run, describes, calls, start };
}
