import { hostname } from "node:os";
import { join } from "node:path";
import { type Files, removeFile, syncDirectory } from "./files.js";
import { JournalError } from "./journal-error.js";

// One process at a time per journal, without an OS lock (Node has none): `PATH.lock/` holds
// numbered claims. Each is made whole in one step (a temp file with its owner, linked into place:
// link fails if the name exists), the highest number is the lock, and a claim is never deleted by
// anyone but a later holder, so a stale lock is taken over by claiming the next number: two
// processes cannot both get it, and nobody deletes a fresh lock thinking it stale. Releasing
// marks one's own claim `N.released`.

/** This machine's name; empty where the runtime does not say (Deno without --allow-sys). */
const host = () => {
  try {
    return hostname();
  } catch {
    return "";
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;
const ignoreMissing = (error: unknown) => {
  if (code(error) !== "ENOENT") throw error;
};

interface Claims {
  readonly numbers: number[];
  readonly released: Set<number>;
}

async function readClaims(files: Files, directory: string): Promise<Claims> {
  const names = await files.readdir(directory);
  const numbers: number[] = [];
  const released = new Set<number>();
  for (const name of names) {
    const match = /^(\d+)(\.released)?$/.exec(name);
    if (!match) continue;
    if (match[2]) released.add(Number(match[1]));
    else numbers.push(Number(match[1]));
  }
  return { numbers: numbers.sort((a, b) => a - b), released };
}

/** Who holds claim `n`: undefined if it is released, gone, or its process is dead. */
async function holder(files: Files, directory: string, n: number, claims: Claims): Promise<{ pid: number; host: string } | undefined> {
  if (claims.released.has(n)) return undefined;
  const text = await files.readFile(join(directory, String(n)), "utf8").catch((error) => {
    ignoreMissing(error);
    return "";
  });
  const [pid = "", owner = ""] = text.trim().split(" ");
  // Empty: its machine crashed before the claim's contents reached the disk (its process is gone).
  if (!(Number(pid) > 0)) return undefined;
  if (owner === host() && !alive(Number(pid))) return undefined; // killed: its lock is stale
  return { pid: Number(pid), host: owner };
}

/**
 * Takes `path.lock` for this process, or throws a {@link JournalError} naming the live process that
 * holds it. A lock left by a process that is gone (killed, crashed) is taken over. Resolves to the
 * function that releases it (only this process's own claim).
 */
export async function lockJournal(path: string, files: Files): Promise<() => Promise<void>> {
  const directory = `${path}.lock`;
  await files.mkdir(directory, { recursive: true }).catch((error) => {
    throw code(error) === "EEXIST" || code(error) === "ENOTDIR"
      ? new JournalError(`${directory} is in the way (a file, not the lock folder of a vclm journal): move it away and try again`)
      : error;
  });
  const me = `${process.pid} ${host()} ${crypto.randomUUID()}\n`;
  for (let tries = 0; tries < 50; tries++) {
    const claims = await readClaims(files, directory);
    const top = claims.numbers.at(-1) ?? 0;
    const owner = top ? await holder(files, directory, top, claims) : undefined;
    if (owner)
      throw new JournalError(
        `${path} is in use by process ${owner.pid}${owner.host === host() ? "" : ` on ${owner.host}`}: one batch at a time per journal. If that process is gone, delete ${directory}`,
      );
    const mine = top + 1;
    const temp = join(directory, `.${process.pid}.${crypto.randomUUID()}.tmp`);
    await files.writeFile(temp, me, { mode: 0o600 });
    try {
      await files.link(temp, join(directory, String(mine)));
    } catch (error) {
      if (code(error) === "EEXIST") continue; // another process claimed it first: look again
      throw error;
    } finally {
      await removeFile(files, temp);
    }
    // A higher claim made from an older reading (its maker looked before ours and after a cleanup)
    // was made first: it is the lock, and ours gives way.
    const after = await readClaims(files, directory);
    if (after.numbers.some((n) => n > mine)) {
      await files.writeFile(join(directory, `${mine}.released`), "");
      continue;
    }
    await syncDirectory(files, directory);
    for (const n of after.numbers) if (n < mine) await removeFile(files, join(directory, String(n)));
    for (const n of after.released) if (n < mine) await removeFile(files, join(directory, `${n}.released`));
    await removeDeadTemps(files, directory);
    return async () => {
      await files.writeFile(join(directory, `${mine}.released`), "");
    };
  }
  throw new JournalError(`${path}: could not take its lock (${directory}) after 50 tries: too many processes are starting on it at once`);
}

/** Temp files of processes killed between writing a claim and linking it. */
async function removeDeadTemps(files: Files, directory: string): Promise<void> {
  for (const name of await files.readdir(directory)) {
    const pid = /^\.(\d+)\..*\.tmp$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) await removeFile(files, join(directory, name));
  }
}
