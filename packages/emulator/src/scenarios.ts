/** A service error the emulator is told to give. */
export interface FailureSpec {
  readonly code: string;
  readonly message?: string | undefined;
}

/** Which calls a transport fault applies to, and how many times. */
export interface FaultSpec {
  /** @default 1 */
  readonly count?: number | undefined;
  /** Only these actions. @default every action */
  readonly actions?: readonly string[] | undefined;
}

/**
 * A transport fault a scenario can cause.
 *
 * @example
 * ```ts
 * const kinds: Fault[] = ["serverError", "throttle"];
 * ```
 */
export type Fault = "serverError" | "dropConnection" | "loseAnswer" | "throttle";

/**
 * Random faults at a steady rate, reproducible from a seed: for fault-tolerance tests.
 *
 * @example
 * ```ts
 * const spec: ChaosSpec = { rate: 0.3, kinds: ["serverError", "loseAnswer"], seed: 42 };
 * ```
 */
export interface ChaosSpec {
  /** The share of calls that meet a fault, 0 to 1. */
  readonly rate: number;
  /** Which faults, picked evenly: `throttle` answers RequestLimitExceeded without processing. @default all four */
  readonly kinds?: readonly Fault[] | undefined;
  /** Only these actions. @default every action */
  readonly actions?: readonly string[] | undefined;
  /** @default 1 */
  readonly seed?: number | undefined;
}

// mulberry32: a small seeded PRNG, so a chaos run can be replayed.
const seeded = (seed: number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface Armed {
  kind: Fault;
  remaining: number;
  actions: readonly string[] | undefined;
  status: number;
}

/**
 * What tests make the emulator do: fail jobs with a chosen code, add latency, answer 5xx, drop
 * connections, or lose answers after the job was created. Set in code or through the admin API.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * emulator.scenarios.failNextJob({ code: "FailedOperation.ImageDetectFaceFailed" });
 * emulator.scenarios.loseAnswer({ count: 2, actions: ["SubmitImageAnimateJob"] });
 * ```
 */
export class Scenarios {
  #nextJobFailures: FailureSpec[] = [];
  readonly #photoFailures = new Map<string, FailureSpec>();
  #faults: Armed[] = [];
  #latency: { ms: number; actions: readonly string[] | undefined } | undefined;
  #chaos: { rate: number; kinds: readonly Fault[]; actions: readonly string[] | undefined; random: () => number } | undefined;

  /** The next submitted job (and only it) ends in FAIL with this code. */
  failNextJob(failure: FailureSpec = { code: "FailedOperation.DriverFailed" }): this {
    this.#nextJobFailures.push(failure);
    return this;
  }

  /** Every job submitted with this photo (its ImageUrl, or the SHA-256 hex of its ImageBase64) ends in FAIL with this code. */
  failPhoto(photo: string, failure: FailureSpec): this {
    this.#photoFailures.set(photo, failure);
    return this;
  }

  /** Every answer (to these actions) waits this long first, in real time. */
  latency(ms: number, { actions }: Pick<FaultSpec, "actions"> = {}): this {
    this.#latency = ms > 0 ? { ms, actions } : undefined;
    return this;
  }

  /** The next calls are answered with this HTTP status by "the gateway", not processed. */
  serverError(status = 503, spec: FaultSpec = {}): this {
    return this.#arm("serverError", spec, status);
  }

  /** The next calls get their connection closed without an answer, not processed. */
  dropConnection(spec: FaultSpec = {}): this {
    return this.#arm("dropConnection", spec);
  }

  /** The next calls are processed (a Submit creates its job), then the connection is closed without an answer. */
  loseAnswer(spec: FaultSpec = {}): this {
    return this.#arm("loseAnswer", spec);
  }

  /** Faults at random on a share of calls, until reset: 5xx (502), dropped connections, lost answers, throttling. */
  chaos({ rate, kinds = ["serverError", "dropConnection", "loseAnswer", "throttle"], actions, seed = 1 }: ChaosSpec): this {
    this.#chaos = { rate, kinds, actions, random: seeded(seed) };
    return this;
  }

  /** Forgets every scenario. */
  reset(): this {
    this.#nextJobFailures = [];
    this.#photoFailures.clear();
    this.#faults = [];
    this.#latency = undefined;
    this.#chaos = undefined;
    return this;
  }

  #arm(kind: Fault, { count = 1, actions }: FaultSpec, status = 0): this {
    this.#faults.push({ kind, remaining: count, actions, status });
    return this;
  }

  /** @internal Takes the fault armed for this action, if any. */
  takeFault(action: string): { kind: Fault; status: number } | undefined {
    const armed = this.#faults.find((f) => f.remaining > 0 && (!f.actions || f.actions.includes(action)));
    if (!armed) {
      const chaos = this.#chaos;
      if (!chaos || (chaos.actions && !chaos.actions.includes(action)) || chaos.random() >= chaos.rate) return undefined;
      return { kind: chaos.kinds[Math.floor(chaos.random() * chaos.kinds.length)] as Fault, status: 502 };
    }
    armed.remaining--;
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
    return { kind: armed.kind, status: armed.status };
  }

  /** @internal The latency for this action, in ms. */
  latencyFor(action: string): number {
    return this.#latency && (!this.#latency.actions || this.#latency.actions.includes(action)) ? this.#latency.ms : 0;
  }

  /** @internal How a new job with this photo key ends, if a scenario says it fails. */
  takeJobFailure(photoKey: string): FailureSpec | undefined {
    return this.#nextJobFailures.shift() ?? this.#photoFailures.get(photoKey);
  }
}
