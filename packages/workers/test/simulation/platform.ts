// What Cloudflare does around one instance of the object: the Queue hands it deliveries until one
// is taken (a call that failed, or that a crash cut off, is delivered again), and the alarm fires
// when its time comes, one handler at a time, again after a throw (from 2 s, doubling, 6 times).
import type { Clock } from "@vclm/core";
import type { Coordinator, Submission } from "../../src/index.js";
import type { SimDurableStorage } from "./durable-storage.js";
import type { Gates } from "./gates.js";

/** A Queue delivery as the world keeps it: until `taken`, it is delivered again. */
export interface QueuedDelivery {
  readonly submissions: readonly Submission[];
  at: number;
  taken: boolean;
}

/** One instance of the object, as the platform reaches it. */
export interface Instance {
  readonly coordinator: Coordinator;
  readonly gates: Gates;
  readonly clock: Clock;
  readonly dead: () => boolean;
  /** Keeps what the coordinator threw, for a failure's message. */
  readonly thrown: (what: string, error: unknown) => void;
}

const QUEUE_RETRY_MS = 1_000;
const ALARM_RETRIES = 6;

/** Delivers `delivery` to the instance until it takes it (or dies). */
export async function deliver(instance: Instance, delivery: QueuedDelivery): Promise<void> {
  const { coordinator, gates, clock } = instance;
  while (!delivery.taken && !instance.dead()) {
    await clock.sleep(Math.max(0, delivery.at - clock.now()));
    await gates.enter();
    try {
      await coordinator.enqueue(structuredClone(delivery.submissions));
      delivery.taken = true;
    } catch (error) {
      instance.thrown("enqueue", error);
      delivery.at = clock.now() + QUEUE_RETRY_MS;
    }
  }
}

/** After a crash, what was not taken comes again a little later. */
export const redeliverAfterCrash = (delivery: QueuedDelivery, now: number): void => {
  delivery.at = Math.max(delivery.at, now + QUEUE_RETRY_MS);
};

/** Fires the instance's alarm whenever its time comes, while the instance lives. */
export async function fireAlarms(instance: Instance, storage: SimDurableStorage): Promise<void> {
  const { coordinator, gates, clock } = instance;
  while (!instance.dead()) {
    const at = storage.alarm;
    if (at === null) {
      await storage.alarmChanged();
      continue;
    }
    const moved = new AbortController();
    void storage.alarmChanged().then(() => moved.abort());
    try {
      await clock.sleep(Math.max(0, at - clock.now()), moved.signal);
    } catch {
      continue; // set again meanwhile
    }
    storage.beginAlarm();
    await gates.enter();
    try {
      await coordinator.alarm();
      storage.endAlarm();
      storage.alarmFailures = 0;
    } catch (error) {
      instance.thrown("alarm", error);
      const failures = ++storage.alarmFailures;
      storage.endAlarm(failures <= ALARM_RETRIES ? clock.now() + 2_000 * 2 ** (failures - 1) : undefined);
    }
  }
}
