import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { fsCode } from "./fs-errors.js";

/**
 * Who this process is, and whether another process on this machine still runs: how a journal's
 * lock tells a lock left by a killed process from a live one's. Everyone gets {@link thisProcess};
 * a simulation that runs many processes' lives in one passes its own, a pid for each life.
 *
 * @example
 * ```ts
 * import { fileJournal, type Processes } from "@vclm/batch/node";
 *
 * const processes: Processes = { pid: 4242, host: "sim", namespace: "", alive: (pid) => pid === 4242 };
 * const journal = await fileJournal("out/.vclm-journal.jsonl", { processes });
 * await journal.close();
 * ```
 */
export interface Processes {
  readonly pid: number;
  /** This machine's name; empty where the runtime does not say (Deno without --allow-sys). */
  readonly host: string;
  /** This process's PID namespace (Linux: two containers may share a host name, not their PIDs); empty elsewhere. */
  readonly namespace: string;
  /** Whether process `pid` of this machine runs: undefined where the runtime may not ask (Deno without --allow-run). */
  alive(pid: number): boolean | undefined;
}

const once = <T>(read: () => T) => {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: read() };
    return value.v;
  };
};

const host = once(() => {
  try {
    return hostname();
  } catch {
    return "";
  }
});

const namespace = once(() => {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return "";
  }
});

/** This process, as the operating system knows it. */
export const thisProcess: Processes = {
  get pid() {
    return process.pid;
  },
  get host() {
    return host();
  },
  get namespace() {
    return namespace();
  },
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      const code = fsCode(error);
      return code === "ESRCH" ? false : code === "EPERM" ? true : undefined;
    }
  },
};
