import { join } from "node:path";
import { type Files, removeFile, syncDirectory } from "./files.js";
import { fsCode } from "./fs-errors.js";
import { JournalError } from "./journal-error.js";
import { type Processes, thisProcess } from "./processes.js";

// One process at a time per journal, without an OS lock (Node has none): `PATH.lock/` holds
// numbered claims. Each is made whole in one step (a temp file with its owner, linked into place:
// link fails if the name exists), the highest number is the lock, and a claim is never deleted by
// anyone but a later holder, so a stale lock is taken over by claiming the next number: two
// processes cannot both get it, and nobody deletes a fresh lock thinking it stale. Releasing
// marks one's own claim `N.released`. A claim is taken over only when its owner is known to be
// gone: on this machine, in this PID namespace, and no such process.

/** Claims this process holds (by their token): another claim with this process's PID is a dead process's. */
const held = new Set<string>();

/** How long a claim may be empty while its maker writes it (where there are no hard links). */
const WRITING_MS = 10_000;

const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

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

/** Who holds claim `n`: undefined if it is released, gone, or its process is known to be dead. */
async function holder(
  files: Files,
  me: Processes,
  directory: string,
  n: number,
  claims: Claims,
): Promise<{ pid: string; host: string } | undefined> {
  if (claims.released.has(n)) return undefined;
  const path = join(directory, String(n));
  const text = await files.readFile(path, "utf8").catch((error) => {
    if (fsCode(error) !== "ENOENT") throw error;
    return undefined;
  });
  if (text === undefined) return undefined; // a later holder cleaned it up
  const [pid = "", owner = "", token = "", namespace = ""] = text.trim().split(" ");
  if (!(Number(pid) > 0)) {
    // Empty: being written (no hard links here), or its machine crashed before the write reached the disk.
    const age = Date.now() - ((await files.stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    return age < WRITING_MS ? { pid: "?", host: owner } : undefined;
  }
  const here = owner === me.host && owner !== "" && namespace === me.namespace;
  if (!here) return { pid, host: owner }; // another machine or container: its process cannot be checked
  if (Number(pid) === me.pid) return held.has(token) ? { pid, host: owner } : undefined; // a dead process had this PID
  return me.alive(Number(pid)) === false ? undefined : { pid, host: owner };
}

/** Writes claim `n` whole: a temp file linked into place (fails if taken), or, without hard links, an exclusive create. */
async function claim(files: Files, me: Processes, directory: string, n: number, contents: string): Promise<boolean> {
  const target = join(directory, String(n));
  const temp = join(directory, `.${me.pid}.${crypto.randomUUID()}.tmp`);
  await files.writeFile(temp, contents, { mode: 0o600 });
  try {
    await files.link(temp, target);
    return true;
  } catch (error) {
    if (fsCode(error) === "EEXIST") return false;
    if (!NO_LINKS.has(fsCode(error) ?? "")) throw error;
  } finally {
    await removeFile(files, temp);
  }
  try {
    await files.writeFile(target, contents, { mode: 0o600, flag: "wx" });
    return true;
  } catch (error) {
    if (fsCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes `path.lock` for this process, or throws a {@link JournalError} naming the process that
 * holds it. A lock left by a process known to be gone (killed, crashed) is taken over. Resolves to
 * the function that releases it (only this process's own claim).
 */
export const lockJournal = (path: string, files: Files, processes: Processes = thisProcess): Promise<() => Promise<void>> =>
  lockPath(path, files, {
    processes,
    busy: (owner) =>
      new JournalError(`${path} is in use by ${owner}: one batch at a time per journal. If that process is gone, delete ${path}.lock`),
    fail: (message) => new JournalError(message),
  });

/**
 * Takes `path.lock` for this process (the one mechanism above), or throws `busy(owner)`, "process N
 * [on HOST]" saying who holds it. With `remove`, releasing also removes the lock folder when no
 * one else has claimed it since, so a short-lived lock leaves nothing behind.
 */
export async function lockPath(
  path: string,
  files: Files,
  {
    busy,
    fail,
    remove = false,
    processes: me = thisProcess,
  }: { busy: (owner: string) => Error; fail: (message: string) => Error; remove?: boolean; processes?: Processes },
): Promise<() => Promise<void>> {
  const directory = `${path}.lock`;
  // The lock's own folder only: a folder `path` is in must exist already (ENOENT otherwise).
  const makeDirectory = async () => {
    const made = await files.mkdir(directory).then(
      () => undefined,
      (error) => error,
    );
    if (made === undefined) return;
    if (fsCode(made) === "EEXIST" && (await files.stat(directory)).isDirectory()) return;
    throw fsCode(made) === "EEXIST" || fsCode(made) === "ENOTDIR"
      ? fail(`${directory} is in the way (a file, not a vclm lock folder): move it away and try again`)
      : made;
  };
  await makeDirectory();
  const token = crypto.randomUUID();
  const contents = `${me.pid} ${me.host} ${token} ${me.namespace}\n`;
  for (let tries = 0; tries < 50; tries++) {
    const claims = await readClaims(files, directory).catch(async (error) => {
      if (fsCode(error) !== "ENOENT") throw error;
      await makeDirectory(); // a holder removed the folder as it released it: make it again
      return readClaims(files, directory);
    });
    const top = claims.numbers.at(-1) ?? 0;
    const owner = top ? await holder(files, me, directory, top, claims) : undefined;
    if (owner) throw busy(`process ${owner.pid}${owner.host && owner.host !== me.host ? ` on ${owner.host}` : ""}`);
    const mine = top + 1;
    const claimed = await claim(files, me, directory, mine, contents).catch(async (error) => {
      if (fsCode(error) !== "ENOENT") throw error;
      await makeDirectory(); // removed between our reading and our claim: look again
      return false;
    });
    if (!claimed) continue; // another process claimed it first: look again
    // A higher claim made from an older reading (its maker looked before ours and after a cleanup)
    // was made first: it is the lock, and ours gives way.
    const after = await readClaims(files, directory);
    if (after.numbers.some((n) => n > mine)) {
      await files.writeFile(join(directory, `${mine}.released`), "");
      continue;
    }
    held.add(token);
    await syncDirectory(files, directory);
    for (const n of after.numbers) if (n < mine) await removeFile(files, join(directory, String(n)));
    for (const n of after.released) if (n < mine) await removeFile(files, join(directory, `${n}.released`));
    await removeDeadTemps(files, me, directory);
    return async () => {
      held.delete(token);
      if (!remove) return files.writeFile(join(directory, `${mine}.released`), "");
      // Our claim, then the folder (no marker to write: this works on a full disk too). Nobody can
      // have claimed after ours while it stood; rmdir fails, and the folder stays, if anyone claims now.
      await removeFile(files, join(directory, String(mine)));
      await files.rmdir(directory).catch((error) => {
        if (!["ENOTEMPTY", "EEXIST", "ENOENT"].includes(fsCode(error) ?? "")) throw error;
      });
    };
  }
  throw fail(`${path}: could not take its lock (${directory}) after 50 tries: too many processes are starting on it at once`);
}

/** Temp files of processes killed between writing a claim and linking it. */
async function removeDeadTemps(files: Files, me: Processes, directory: string): Promise<void> {
  for (const name of await files.readdir(directory)) {
    const pid = /^\.(\d+)\..*\.tmp$/.exec(name)?.[1];
    if (pid && Number(pid) !== me.pid && me.alive(Number(pid)) === false) await removeFile(files, join(directory, name));
  }
}
