// The journal's lock between real processes: a holder is SIGKILLed (its lock left stale), then
// several processes start at once on the same journal. Each that gets the lock writes "start PID"
// to a shared log (O_APPEND: lines land in the order they happened), holds it a while, writes
// "end PID", and lets go. Mutual exclusion means the log alternates start/end of one process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dist = new URL("../dist/node.js", import.meta.url).href;
const contender = (path: string, log: string, hold: "release" | "forever") => `
  import { appendFileSync } from "node:fs";
  const { fileJournal } = await import(${JSON.stringify(dist)});
  let journal;
  try {
    journal = await fileJournal(${JSON.stringify(path)});
  } catch (error) {
    console.log(/in use/.test(error.message) ? "refused" : "error " + error.message);
    process.exit(0);
  }
  appendFileSync(${JSON.stringify(log)}, "start " + process.pid + "\\n");
  console.log("locked");
  ${
    hold === "forever"
      ? "setTimeout(() => {}, 60_000);"
      : `await new Promise((resolve) => setTimeout(resolve, 25));
  appendFileSync(${JSON.stringify(log)}, "end " + process.pid + "\\n");
  await journal.close();`
  }
`;

function start(script: string): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: new Promise((resolve) => child.once("exit", () => resolve(output))) };
}

const root = await mkdtemp(join(tmpdir(), "vclm-lock-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("the journal's lock between processes", () => {
  it("after a SIGKILL, 4 processes started at once never hold it together (40 rounds)", async () => {
    const path = join(root, "journal.jsonl");
    const log = join(root, "holders.log");
    const outcomes = { locked: 0, refused: 0, other: [] as string[] };
    for (let round = 0; round < 40; round++) {
      const holder = start(contender(path, log, "forever"));
      await new Promise((resolve) => holder.child.stdout?.once("data", resolve));
      holder.child.kill("SIGKILL");
      await holder.output;
      await import("node:fs/promises").then(({ appendFile }) => appendFile(log, `killed ${holder.child.pid}\n`));
      const results = await Promise.all(Array.from({ length: 4 }, () => start(contender(path, log, "release")).output));
      for (const result of results) {
        if (result.includes("locked")) outcomes.locked++;
        else if (result.includes("refused")) outcomes.refused++;
        else outcomes.other.push(result);
      }
    }
    expect(outcomes.other).toEqual([]);
    // The log alternates: every "start P" is followed by "end P" (or "killed P") before the next start.
    let holding: string | undefined;
    let overlaps = 0;
    for (const line of (await readFile(log, "utf8")).trim().split("\n")) {
      const [what, pid] = line.split(" ");
      if (what === "start") {
        if (holding) overlaps++;
        holding = pid;
      } else if (pid === holding) holding = undefined;
    }
    console.log(
      `lock rounds: 40 kills, 160 contenders: ${outcomes.locked} took the lock in turn, ${outcomes.refused} were refused, ${overlaps} overlaps`,
    );
    expect(overlaps).toBe(0);
    expect(outcomes.locked).toBeGreaterThanOrEqual(40); // at least one per round took the stale lock over
  }, 120_000);
});
