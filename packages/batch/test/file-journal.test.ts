import { execFileSync } from "node:child_process";
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fullDisk } from "@vclm/tools/full-disk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalRecord } from "../src/index.js";
import { fileJournal, JournalError } from "../src/node.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vclm-journal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const intent = (n: number): JournalRecord => ({ type: "intent", key: `ke3:${n}`, name: `p${n}.jpg`, at: n });
const submitted = (n: number): JournalRecord => ({ type: "submitted", key: `ke3:${n}`, JobId: `${1000 + n}`, at: n });
const lines = async (path: string) => (await readFile(path, "utf8")).split("\n");

describe("fileJournal", () => {
  it("keeps every append across a reopen; appends made together share one write", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append(intent(n))));
    await journal.close();
    const again = await fileJournal(path);
    expect((await again.read()).map((record) => record.key)).toEqual(Array.from({ length: 50 }, (_, n) => `ke3:${n}`));
    await again.close();
  });

  it("drops a last line cut off by a crash, and appends after it cleanly", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(intent(1))}\n{"type":"submitted","key":"ke3:1","Job`);
    const journal = await fileJournal(path);
    expect(await journal.read()).toEqual([intent(1)]);
    await journal.append(intent(2));
    expect(await journal.read()).toEqual([intent(1), intent(2)]);
    await journal.close();
  });

  it("a whole last record without its newline: a JobId is kept (newline added), an intent is cut (its Submit was never sent)", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(intent(1))}\n${JSON.stringify(submitted(1))}`);
    const journal = await fileJournal(path);
    expect(await journal.read()).toEqual([intent(1), submitted(1)]);
    await journal.append(intent(2));
    await journal.close();
    // The next append was not glued onto it: a third open reads every line.
    const third = await fileJournal(path);
    expect(await third.read()).toEqual([intent(1), submitted(1), intent(2)]);
    await third.close();
    await appendFile(path, JSON.stringify(intent(3)));
    const fourth = await fileJournal(path);
    expect(await fourth.read()).toEqual([intent(1), submitted(1), intent(2)]);
    await fourth.close();
    expect((await lines(path)).at(-1)).toBe("");
  });

  it("refuses a journal with a bad line in the middle, naming the line", async () => {
    const path = join(dir, "journal.jsonl");
    await writeFile(path, `${JSON.stringify(intent(1))}\nnot json\n${JSON.stringify(intent(2))}\n`);
    await expect(fileJournal(path)).rejects.toThrow(/journal\.jsonl, line 2, is not a journal record/);
    await expect(fileJournal(path)).rejects.toThrow(JournalError); // and left no lock behind
  });

  it("refuses to append a record that is not one (nothing is written)", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await expect(journal.append({ type: "submitted", key: "k", JobId: "not a number", at: 1 } as JournalRecord)).rejects.toThrow();
    expect(await readFile(path, "utf8")).toBe("");
    await journal.close();
  });
});

describe("fileJournal's lock after a power loss", () => {
  it('a claim left torn (a first part of its line, such as "1" of "1234 host ...") is not a live holder: the rerun takes the lock', async () => {
    // Found by the simulation (seed 67): every rerun was refused, "in use by process 1".
    const path = join(dir, "journal.jsonl");
    await mkdir(`${path}.lock`);
    for (const torn of ["1", "4242 some-host 3f2a"]) {
      await writeFile(join(`${path}.lock`, "1"), torn);
      const old = new Date(Date.now() - 60_000);
      await utimes(join(`${path}.lock`, "1"), old, old);
      const journal = await fileJournal(path);
      await journal.append(intent(1));
      await journal.close();
      await rm(`${path}.lock`, { recursive: true });
      await mkdir(`${path}.lock`);
    }
  });

  it("a torn claim written a moment ago may still be being written: it holds the lock", async () => {
    const path = join(dir, "journal.jsonl");
    await mkdir(`${path}.lock`);
    await writeFile(join(`${path}.lock`, "1"), "4242 some-h");
    await expect(fileJournal(path)).rejects.toThrow(/is in use by process \?/);
  });
});

describe("fileJournal on a full disk", () => {
  it("a write the disk takes only part of fails whole: the append rejects, the file is cut back to its last whole line", async () => {
    const path = join(dir, "journal.jsonl");
    const { files, disk, free } = fullDisk();
    const journal = await fileJournal(path, { files });
    await journal.append(intent(1));
    const before = await readFile(path, "utf8");
    free(20); // room for 20 bytes: part of the next line, then ENOSPC
    await expect(journal.append(intent(2))).rejects.toThrow(/could not write to .*journal\.jsonl: the disk is full \(ENOSPC\)/);
    expect(disk.shortWrites).toBe(1);
    expect(await readFile(path, "utf8")).toBe(before);
    // Appends made together with the failed one fail with it; none of them counts.
    free(0);
    const together = await Promise.allSettled([journal.append(intent(3)), journal.append(intent(4))]);
    expect(together.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(await readFile(path, "utf8")).toBe(before);
    // Once there is room, appends go on cleanly after the last whole line.
    free();
    await journal.append(intent(5));
    expect(await journal.read()).toEqual([intent(1), intent(5)]);
    await journal.close();
  });
});

/** A real 64 KB tmpfs, where this machine lets us mount one (root in CI); undefined otherwise. */
function smallDisk(path: string): (() => void) | undefined {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path], { stdio: "ignore" });
    // Lazily: a file still open (a failing run's journal) must not leave the tmpfs mounted.
    return () => execFileSync("umount", ["-l", path], { stdio: "ignore" });
  } catch {
    return undefined;
  }
}

describe("fileJournal on a real full file system", () => {
  it("fills a 64 KB tmpfs: every append that resolved is in the file, whole, and the file ends with a whole line", async (context) => {
    const mount = join(dir, "small");
    await mkdir(mount);
    const unmount = smallDisk(mount);
    if (!unmount) {
      console.log("skipped: cannot mount a tmpfs here (needs root); the injected full disk above covers the same path");
      context.skip();
      return;
    }
    try {
      const path = join(mount, "journal.jsonl");
      const journal = await fileJournal(path);
      const resolved: number[] = [];
      let failure: unknown;
      for (let n = 0; n < 10_000 && !failure; n++)
        await journal.append({ ...intent(n), name: `photo-with-a-long-name-${"x".repeat(n % 97)}-${n}.jpg` } as JournalRecord).then(
          () => resolved.push(n),
          (error) => (failure = error),
        );
      expect(failure).toBeInstanceOf(JournalError);
      expect((failure as Error).message).toMatch(/the disk is full \(ENOSPC\)/);
      const text = await readFile(path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      expect((await journal.read()).map((record) => Number(record.key.slice(4)))).toEqual(resolved);
      await journal.close();
      const again = await fileJournal(path).catch((error) => error);
      // Reopening needs room for its lock claim: on a disk still full, it says so.
      if (again instanceof Error) expect(again.message).toMatch(/ENOSPC|no space/);
      else await again.close();
      console.log(`tmpfs of 64 KB: ${resolved.length} appends resolved before ENOSPC, ${text.length} bytes, all whole`);
    } finally {
      unmount();
    }
  });
});

describe("the journal's lock", () => {
  it("one process at a time: a live owner's lock is refused, a killed owner's lock is taken over", async () => {
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path);
    await expect(fileJournal(path)).rejects.toThrow(/in use by process \d+: one batch at a time per journal/);
    await journal.close();
    // A process that took the lock and was killed.
    const script = `import("${new URL("../dist/node.js", import.meta.url).href}").then(async ({ fileJournal }) => { await fileJournal(${JSON.stringify(path)}); console.log("locked"); setTimeout(() => {}, 60_000); })`;
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
    await new Promise((resolve) => child.stdout.once("data", resolve));
    await expect(fileJournal(path)).rejects.toThrow(new RegExp(`in use by process ${child.pid}`));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const taken = await fileJournal(path);
    await taken.append(intent(3));
    await taken.close();
    expect((await readdir(dir)).sort()).toEqual(["journal.jsonl", "journal.jsonl.lock"]);
  });

  it("releases only its own claim: a second release after another process took the lock leaves that lock alone", async () => {
    const path = join(dir, "journal.jsonl");
    const first = await fileJournal(path);
    await first.close();
    const second = await fileJournal(path);
    await first.close().catch(() => {}); // a second close of the first: its claim is released already
    await expect(fileJournal(path)).rejects.toThrow(/in use by process/);
    await second.close();
  });

  it("takes over only a claim whose owner is known gone; one it cannot check (another machine, another container) is refused", async () => {
    const { hostname } = await import("node:os");
    const { readlinkSync, utimesSync } = await import("node:fs");
    const namespace = readlinkSync("/proc/self/ns/pid");
    const path = join(dir, "journal.jsonl");
    const lock = `${path}.lock`;
    await mkdir(lock);
    const claimAs = async (n: number, text: string) => {
      await writeFile(join(lock, String(n)), text);
      return n;
    };
    // A dead process that had this very PID (a container restarted): its claim is stale.
    await claimAs(1, `${process.pid} ${hostname()} 0000-dead ${namespace}\n`);
    await (await fileJournal(path)).close();
    // Another machine: its process cannot be checked.
    await claimAs(5, `4242 build-server-7 0000-other ${namespace}\n`);
    await expect(fileJournal(path)).rejects.toThrow(/in use by process 4242 on build-server-7/);
    // This machine's name, another PID namespace (a container sharing the host's name): not checkable either.
    await claimAs(6, `4242 ${hostname()} 0000-other pid:[1]\n`);
    await expect(fileJournal(path)).rejects.toThrow(/in use by process 4242:/);
    // Empty: being written (no hard links there) for a moment; after 10 s, a crash's leftover.
    await claimAs(7, "");
    await expect(fileJournal(path)).rejects.toThrow(/in use by process \?/);
    utimesSync(join(lock, "7"), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await fileJournal(path)).close();
  });

  it("works where there are no hard links (exFAT, some network shares): each claim made by an exclusive create", async () => {
    const fs = await import("node:fs/promises");
    const noLinks = {
      ...fs,
      link: async () => Promise.reject(Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" })),
    };
    const path = join(dir, "journal.jsonl");
    const journal = await fileJournal(path, { files: noLinks });
    await expect(fileJournal(path, { files: noLinks })).rejects.toThrow(/in use by process \d+/);
    await journal.append(intent(1));
    await journal.close();
    const again = await fileJournal(path, { files: noLinks });
    expect(await again.read()).toEqual([intent(1)]);
    await again.close();
  });

  it("a claim is never seen empty: readers during 1,500 takes and releases always find an owner", async () => {
    const path = join(dir, "journal.jsonl");
    const lockDir = `${path}.lock`;
    let empty = 0;
    let reads = 0;
    let running = true;
    const reader = (async () => {
      while (running) {
        for (const name of await readdir(lockDir).catch(() => [] as string[])) {
          if (!/^\d+$/.test(name)) continue;
          const text = await readFile(join(lockDir, name), "utf8").catch(() => undefined);
          if (text === undefined) continue; // cleaned up meanwhile
          reads++;
          if (!/^\d+ \S* [0-9a-f-]+ \S*\n$/.test(text)) empty++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let round = 0; round < 1_500; round++) await (await fileJournal(path)).close();
    running = false;
    await reader;
    expect(reads).toBeGreaterThan(100);
    expect(empty).toBe(0);
  });
});
