// A deterministic world for the code that spends money: one seed drives which pending operation
// goes next, when time moves and where faults fall, so any run replays exactly.
//
// Every I/O operation (a file call, a request, a store call) is an event: it waits until the
// scheduler picks it, then its effect is applied, alone, and its caller continues. Time is
// virtual: a sleep waits until nothing else can happen (or, with `order: "random"`, until the
// seed says so). Web Crypto answers on a thread pool, in real time: its answers are held and
// handed back in the order they were asked for, once the process has gone quiet, so the
// interleaving never depends on the machine's speed. A process can be crashed after its k-th
// operation: its pending operations, sleeps and answers are dropped, and what it did afterwards
// never happens (its calls never resolve).
import type { Clock } from "@vclm/core";
import { Random } from "./random.js";

/** The order pending operations are taken in: as they were issued, or as the seed draws them. */
export type Order = "fifo" | "random";

export interface SimulationOptions {
  readonly seed: number;
  /** @default "fifo" */
  readonly order?: Order;
  /** With `order: "random"`, the chance that time moves on while operations are still pending. @default 0.1 */
  readonly timerChance?: number;
  /** The virtual time at the start (ms since 1970). @default 2026-12-01T00:00:00Z */
  readonly start?: number;
}

interface Event {
  readonly seq: number;
  readonly process: SimProcess;
  fire(): void;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly process: SimProcess;
  wake(): void;
}

const never = <T>() => new Promise<T>(() => {});
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One process's life: its operations, its sleeps, and the step it is crashed after, if any. */
export class SimProcess {
  dead = false;
  /** Operations whose effect was applied. */
  ops = 0;
  readonly clock: Clock;

  constructor(
    readonly simulation: Simulation,
    readonly pid: number,
    /** Crash right after this many operations took effect. */
    public crashAt: number | undefined,
  ) {
    this.clock = {
      now: () => simulation.now,
      sleep: (ms, signal) => simulation.sleep(this, ms, signal),
      random: () => simulation.random.next(),
    };
  }

  /**
   * An operation: `effect` is applied when the scheduler picks it. `answer: "later"` makes the
   * answer a second event (a network: the request is processed, its answer arrives afterwards).
   */
  io<T>(label: string, effect: () => T | Promise<T>, answer: "now" | "later" = "now"): Promise<T> {
    return this.simulation.io(this, label, effect, answer);
  }

  /** Crashes the process now (a kill between two operations). */
  kill(): void {
    this.simulation.kill(this);
  }
}

let running: Simulation | undefined;
let installed = false;

const SUBTLE = [
  "digest",
  "sign",
  "verify",
  "importKey",
  "exportKey",
  "encrypt",
  "decrypt",
  "deriveBits",
  "deriveKey",
  "generateKey",
] as const;

/** Holds Web Crypto's answers (and draws crypto's random names) for the simulation that runs. */
function install(): void {
  if (installed) return;
  installed = true;
  const subtle = Object.getPrototypeOf(crypto.subtle) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of SUBTLE) {
    const real = subtle[name];
    if (!real) continue;
    subtle[name] = function (this: unknown, ...args: unknown[]) {
      const answer = real.apply(this, args);
      return running ? running.hold(answer) : answer;
    };
  }
  const cryptoProto = Object.getPrototypeOf(crypto) as Record<string, unknown>;
  const uuid = cryptoProto.randomUUID as () => string;
  cryptoProto.randomUUID = function (this: Crypto) {
    return running ? running.random.uuid() : uuid.call(this);
  };
  const fill = cryptoProto.getRandomValues as <T extends ArrayBufferView>(array: T) => T;
  cryptoProto.getRandomValues = function <T extends ArrayBufferView>(this: Crypto, array: T): T {
    if (!running) return fill.call(this, array) as T; // call() drops the generic
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = running.random.int(256);
    return array;
  };
}

export class Simulation {
  readonly random: Random;
  readonly order: Order;
  now: number;
  /** Every operation applied, in order, as `pid:label`: two runs of one seed have the same trace. */
  readonly trace: string[] = [];
  /** Called as time moves (to keep a service's clock with it). */
  readonly onTime: ((now: number) => void)[] = [];
  /** Called when a process crashes (a disk drops what was not synced). */
  readonly onCrash: ((process: SimProcess) => void)[] = [];
  readonly #timerChance: number;
  #seq = 0;
  #pid = 100;
  #events: Event[] = [];
  #timers: Timer[] = [];
  /** Crypto answers come back, waiting to be handed on in order. */
  #held: { seq: number; hand(): void }[] = [];
  /** Crypto answers still being worked out in real time. */
  #computing = 0;
  /** Effects being applied (one at a time: a second waits until the first is done). */
  #applying = 0;
  #activity = 0;

  constructor({ seed, order = "fifo", timerChance = 0.1, start = Date.UTC(2026, 11, 1) }: SimulationOptions) {
    install();
    this.random = new Random(seed);
    this.order = order;
    this.now = start;
    this.#timerChance = timerChance;
  }

  /** A new process (a new life of a command: pids are never reused). */
  process({ crashAt }: { crashAt?: number | undefined } = {}): SimProcess {
    return new SimProcess(this, this.#pid++, crashAt);
  }

  io<T>(process: SimProcess, label: string, effect: () => T | Promise<T>, answer: "now" | "later"): Promise<T> {
    if (process.dead) return never();
    this.#activity++;
    return new Promise<T>((resolve, reject) => {
      this.#events.push({
        seq: this.#seq++,
        process,
        fire: () => {
          process.ops++;
          this.trace.push(`${process.pid}:${label}`);
          const crash = process.crashAt === process.ops;
          this.#applying++;
          const done = (outcome: () => void) => {
            this.#applying--;
            this.#activity++;
            if (crash) this.kill(process);
            if (process.dead) return;
            if (answer === "now") outcome();
            else this.#events.push({ seq: this.#seq++, process, fire: outcome });
          };
          Promise.resolve()
            .then(effect)
            .then(
              (value) => done(() => resolve(value)),
              (error) => done(() => reject(error)),
            );
        },
      });
    });
  }

  sleep(process: SimProcess, ms: number, signal?: AbortSignal): Promise<void> {
    if (process.dead) return never();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      this.#activity++;
      const onAbort = () => {
        this.#timers = this.#timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        at: this.now + Math.max(0, ms),
        seq: this.#seq++,
        process,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** A real-time answer (Web Crypto), handed on in the order it was asked for. */
  hold<T>(answer: Promise<T>): Promise<T> {
    const seq = this.#seq++;
    this.#computing++;
    this.#activity++;
    return new Promise<T>((resolve, reject) => {
      const settle = (hand: () => void) => {
        this.#computing--;
        this.#activity++;
        this.#held.push({ seq, hand });
      };
      answer.then(
        (value) => settle(() => resolve(value)),
        (error) => settle(() => reject(error)),
      );
    });
  }

  kill(process: SimProcess): void {
    if (process.dead) return;
    process.dead = true;
    this.trace.push(`${process.pid}:crash`);
    this.#events = this.#events.filter((event) => event.process !== process);
    this.#timers = this.#timers.filter((timer) => timer.process !== process);
    for (const hook of this.onCrash) hook(process);
  }

  /** Waits until nothing moves in real time: no crypto being worked out, no new activity for two turns. */
  async #settle(): Promise<void> {
    for (let quiet = 0, turns = 0; quiet < 2; turns++) {
      const mark = this.#activity;
      await immediate();
      quiet = this.#computing === 0 && this.#activity === mark ? quiet + 1 : 0;
      if (turns > 1_000_000) throw new Error("simulation: something keeps running in real time");
    }
  }

  #next(): (() => void) | undefined {
    const events = this.#events;
    const timers = this.#timers;
    const timer = () => {
      let first = 0;
      for (let i = 1; i < timers.length; i++) {
        const a = timers[i] as Timer;
        const b = timers[first] as Timer;
        if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) first = i;
      }
      const [chosen] = timers.splice(first, 1) as [Timer];
      return () => {
        if (chosen.at > this.now) {
          this.now = chosen.at;
          for (const hook of this.onTime) hook(this.now);
        }
        chosen.wake();
      };
    };
    if (!events.length) return timers.length ? timer() : undefined;
    if (this.order === "random" && timers.length && this.random.chance(this.#timerChance)) return timer();
    const at = this.order === "random" ? this.random.int(events.length) : 0;
    const [event] = events.splice(at, 1) as [Event];
    return event.fire;
  }

  /**
   * Runs until `done()` is true or nothing is left to happen. Resolves to whether `done()` came true.
   */
  async run(done: () => boolean = () => false, { maxSteps = 2_000_000 } = {}): Promise<boolean> {
    if (running && running !== this) throw new Error("simulation: another simulation is running");
    running = this;
    try {
      for (let steps = 0, stuck = 0; steps < maxSteps; steps++) {
        await this.#settle();
        if (this.#held.length) {
          this.#held.sort((a, b) => a.seq - b.seq);
          this.#held.shift()?.hand();
          continue;
        }
        if (this.#applying) {
          // An effect waits on something this world does not hand out: give it real time.
          if (++stuck > 10_000) throw new Error("simulation: an operation's effect never ended");
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        stuck = 0;
        if (done()) return true;
        const next = this.#next();
        if (!next) return false;
        next();
      }
      throw new Error(`simulation: still running after ${maxSteps} steps`);
    } finally {
      running = undefined;
    }
  }
}
