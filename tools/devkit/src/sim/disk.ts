// A disk for the simulation, shaped as node:fs/promises (the `files` option of @vclm/batch's
// fileJournal and saveToDirectory). Every call is one operation of the process that makes it.
// Two kinds of crash: a process crash keeps everything written (the page cache survives); a
// power loss keeps only what was synced: a file's bytes by fsync/fdatasync, a name (a create,
// a link, a rename, an unlink, a mkdir) by syncing the folder it is in. A full disk takes a
// short write, then refuses with ENOSPC.
import { posix } from "node:path";
import type { SimProcess } from "./simulation.js";

interface Inode {
  data: Uint8Array;
  synced: Uint8Array;
  mtimeMs: number;
}
type Entry = { readonly kind: "file"; readonly inode: Inode } | { readonly kind: "dir" };

const fsError = (code: string, syscall: string, path: string) =>
  Object.assign(new Error(`${code}: simulated, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });

const parentOf = (path: string) => posix.dirname(path);

/** A disk shared by the processes of a simulation. */
export class SimDisk {
  /** The names as the running system sees them. */
  #names = new Map<string, Entry>([["/", { kind: "dir" }]]);
  /** The names a power loss keeps. */
  #durable = new Map<string, Entry>([["/", { kind: "dir" }]]);
  /** Bytes the disk still takes. */
  room = Number.POSITIVE_INFINITY;
  /** False: a disk whose cache says yes to fsync and keeps nothing (to show a check can fail). */
  honest = true;
  /** Writes the disk took only part of, and writes it refused. */
  readonly counts = { shortWrites: 0, refused: 0 };

  /** Name changes not yet synced, in order: a power loss may keep a first part of them. */
  #unsynced: { path: string; entry: Entry | undefined }[] = [];

  #name(path: string, entry: Entry | undefined): void {
    if (entry) this.#names.set(path, entry);
    else this.#names.delete(path);
    this.#unsynced.push({ path, entry });
  }

  /**
   * What a crash of `kind` leaves. A power loss keeps what was synced; given `torn` (a seeded
   * random source), it also keeps what a disk may have written on its own before the power went:
   * a first part of the name changes not yet synced, in the order they were made, and of each
   * file grown by appends, a first part of the bytes not yet synced. With `tails: "zeros"` that
   * first part is kept as zeros: the file's new size reached the disk and its data did not (XFS,
   * or ext4 mounted data=writeback, after a crash).
   */
  crash(kind: "process" | "power", torn?: { int(n: number): number }, tails: "data" | "zeros" = "data"): void {
    if (kind === "process") return;
    if (torn) {
      const kept = torn.int(this.#unsynced.length + 1);
      for (const { path, entry } of this.#unsynced.slice(0, kept)) {
        if (entry) this.#durable.set(path, entry);
        else this.#durable.delete(path);
      }
      for (const entry of new Set(this.#names.values()))
        if (entry.kind === "file") {
          const { data, synced } = entry.inode;
          const grown = data.length > synced.length && Buffer.compare(data.subarray(0, synced.length), synced) === 0;
          if (!grown) continue;
          const length = synced.length + torn.int(data.length - synced.length + 1);
          entry.inode.synced = data.slice(0, length);
          if (tails === "zeros") entry.inode.synced.fill(0, synced.length);
        }
    }
    this.#unsynced = [];
    // A name whose folder's own name was not kept is gone with it: paths are reached from the root.
    const reachable = (path: string): boolean =>
      path === "/" || (this.#durable.get(parentOf(path))?.kind === "dir" && reachable(parentOf(path)));
    for (const path of [...this.#durable.keys()]) if (!reachable(path)) this.#durable.delete(path);
    this.#names = new Map(this.#durable);
    for (const entry of this.#names.values()) if (entry.kind === "file") entry.inode.data = entry.inode.synced; // shared until written (see #write)
  }

  /** A file's bytes as the system sees them now (for checks; not an operation). */
  read(path: string): Uint8Array | undefined {
    const entry = this.#names.get(posix.normalize(path));
    return entry?.kind === "file" ? entry.inode.data : undefined;
  }

  /** The names in a folder now (for checks; not an operation). */
  list(directory: string): string[] {
    const dir = posix.normalize(directory);
    return [...this.#names.keys()]
      .filter((path) => path !== "/" && parentOf(path) === dir)
      .map((path) => posix.basename(path))
      .sort();
  }

  #take(wanted: number): number {
    if (wanted === 0) return 0;
    if (this.room <= 0) {
      this.counts.refused++;
      throw fsError("ENOSPC", "write", "");
    }
    const taken = Math.min(wanted, this.room);
    if (taken < wanted) this.counts.shortWrites++;
    this.room -= taken;
    return taken;
  }

  #get(path: string, syscall: string): Entry {
    const entry = this.#names.get(path);
    if (!entry) throw fsError("ENOENT", syscall, path);
    return entry;
  }

  #file(path: string, syscall: string): Inode {
    const entry = this.#get(path, syscall);
    if (entry.kind !== "file") throw fsError("EISDIR", syscall, path);
    return entry.inode;
  }

  #parent(path: string, syscall: string): void {
    const parent = this.#names.get(parentOf(path));
    if (!parent) throw fsError("ENOENT", syscall, path);
    if (parent.kind !== "dir") throw fsError("ENOTDIR", syscall, path);
  }

  #create(path: string): Inode {
    const inode: Inode = { data: new Uint8Array(0), synced: new Uint8Array(0), mtimeMs: 0 };
    this.#name(path, { kind: "file", inode });
    return inode;
  }

  #syncFolder(dir: string): void {
    this.#unsynced = this.#unsynced.filter(({ path }) => parentOf(path) !== dir);
    for (const path of new Set([...this.#names.keys(), ...this.#durable.keys()])) {
      if (path === "/" || parentOf(path) !== dir) continue;
      const entry = this.#names.get(path);
      if (entry) this.#durable.set(path, entry);
      else this.#durable.delete(path);
    }
  }

  /** Writes into a file's bytes: a new array when it grows or when its synced bytes share it (copy on write). */
  static #write(inode: Inode, at: number, bytes: Uint8Array): void {
    const end = at + bytes.length;
    if (end > inode.data.length || inode.data === inode.synced) {
      const next = new Uint8Array(Math.max(end, inode.data.length));
      next.set(inode.data);
      inode.data = next;
    }
    inode.data.set(bytes, at);
  }

  /** node:fs/promises for one process: each call an operation of `process`. */
  files(process: SimProcess) {
    const io = <T>(label: string, effect: () => T) => process.io(label, effect);
    const norm = (path: unknown) => posix.normalize(String(path));
    const stats = (entry: Entry) => ({
      size: entry.kind === "file" ? entry.inode.data.length : 4096,
      mtimeMs: entry.kind === "file" ? entry.inode.mtimeMs : 0,
      isDirectory: () => entry.kind === "dir",
      isFile: () => entry.kind === "file",
    });

    const open = (pathLike: unknown, flags = "r", _mode?: number) => {
      const path = norm(pathLike);
      return io(`open ${path} ${flags}`, () => {
        let entry = this.#names.get(path);
        if (flags.includes("x") && entry) throw fsError("EEXIST", "open", path);
        if (!entry) {
          if (flags === "r" || flags === "r+") throw fsError("ENOENT", "open", path);
          this.#parent(path, "open");
          entry = { kind: "file", inode: this.#create(path) };
        }
        if (entry.kind === "dir" && flags !== "r") throw fsError("EISDIR", "open", path);
        if (entry.kind === "file" && flags.startsWith("w") && !flags.includes("x")) entry.inode.data = new Uint8Array(0);
        return handle(path, entry, flags.startsWith("a"));
      });
    };

    const handle = (path: string, entry: Entry, append: boolean) => {
      let position = 0;
      let closed = false;
      const inode = () => {
        if (closed) throw fsError("EBADF", "write", path);
        if (entry.kind !== "file") throw fsError("EISDIR", "write", path);
        return entry.inode;
      };
      return {
        write: (data: Uint8Array | string, offset?: number | null, length?: number, at?: number | null) =>
          io(`write ${path}`, () => {
            const file = inode();
            const whole = typeof data === "string" ? new TextEncoder().encode(data) : data;
            const start = typeof data === "string" ? 0 : (offset ?? 0);
            const wanted = typeof data === "string" ? whole.length : (length ?? whole.byteLength - start);
            const where = append ? file.data.length : typeof data !== "string" && typeof at === "number" ? at : position;
            const taken = this.#take(wanted);
            SimDisk.#write(file, where, whole.subarray(start, start + taken));
            file.mtimeMs = process.simulation.now;
            if (!(typeof data !== "string" && typeof at === "number")) position = where + taken;
            return { bytesWritten: taken, buffer: data };
          }),
        read: (buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset, at: number | null = null) =>
          io(`read ${path}`, () => {
            const file = inode();
            const from = at ?? position;
            const bytes = file.data.subarray(from, from + length);
            buffer.set(bytes, offset);
            if (at === null) position = from + bytes.length;
            return { bytesRead: bytes.length, buffer };
          }),
        datasync: () =>
          io(`datasync ${path}`, () => {
            const file = inode();
            if (this.honest) file.synced = file.data;
          }),
        sync: () =>
          io(`sync ${path}`, () => {
            if (closed) throw fsError("EBADF", "fsync", path);
            if (!this.honest) return;
            if (entry.kind === "dir") this.#syncFolder(path);
            else entry.inode.synced = entry.inode.data;
          }),
        truncate: (length = 0) =>
          io(`truncate ${path}`, () => {
            const file = inode();
            file.data = file.data.slice(0, length);
          }),
        stat: () => io(`fstat ${path}`, () => stats(entry)),
        close: () =>
          io(`close ${path}`, () => {
            closed = true;
          }),
      };
    };

    return {
      open,
      readFile: (pathLike: unknown, options?: unknown) => {
        const path = norm(pathLike);
        const encoding = typeof options === "string" ? options : (options as { encoding?: string } | undefined)?.encoding;
        return io(`readFile ${path}`, () => {
          const bytes = this.#file(path, "open").data;
          return encoding ? new TextDecoder().decode(bytes) : Buffer.from(bytes);
        });
      },
      writeFile: (pathLike: unknown, data: string | Uint8Array, options?: { flag?: string; mode?: number }) => {
        const path = norm(pathLike);
        return io(`writeFile ${path}`, () => {
          const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
          const exists = this.#names.get(path);
          if (options?.flag?.includes("x") && exists) throw fsError("EEXIST", "open", path);
          if (exists?.kind === "dir") throw fsError("EISDIR", "open", path);
          this.#parent(path, "open");
          const inode = exists?.kind === "file" ? exists.inode : this.#create(path);
          inode.data = new Uint8Array(0);
          const taken = this.#take(bytes.length);
          SimDisk.#write(inode, 0, bytes.subarray(0, taken));
          inode.mtimeMs = process.simulation.now;
          if (taken < bytes.length) throw fsError("ENOSPC", "write", path);
        });
      },
      link: (from: unknown, to: unknown) => {
        const [a, b] = [norm(from), norm(to)];
        return io(`link ${a} ${b}`, () => {
          const entry = this.#get(a, "link");
          if (entry.kind === "dir") throw fsError("EPERM", "link", a);
          if (this.#names.has(b)) throw fsError("EEXIST", "link", b);
          this.#parent(b, "link");
          this.#name(b, entry);
        });
      },
      rename: (from: unknown, to: unknown) => {
        const [a, b] = [norm(from), norm(to)];
        return io(`rename ${a} ${b}`, () => {
          const entry = this.#get(a, "rename");
          this.#parent(b, "rename");
          this.#name(a, undefined);
          this.#name(b, entry);
        });
      },
      unlink: (pathLike: unknown) => {
        const path = norm(pathLike);
        return io(`unlink ${path}`, () => {
          if (this.#get(path, "unlink").kind === "dir") throw fsError("EISDIR", "unlink", path);
          this.#name(path, undefined);
        });
      },
      stat: (pathLike: unknown) => {
        const path = norm(pathLike);
        return io(`stat ${path}`, () => stats(this.#get(path, "stat")));
      },
      readdir: (pathLike: unknown) => {
        const path = norm(pathLike);
        return io(`readdir ${path}`, () => {
          if (this.#get(path, "scandir").kind !== "dir") throw fsError("ENOTDIR", "scandir", path);
          return this.list(path);
        });
      },
      mkdir: (pathLike: unknown, options?: { recursive?: boolean }) => {
        const path = norm(pathLike);
        return io(`mkdir ${path}`, () => {
          const existing = this.#names.get(path);
          if (existing) {
            if (options?.recursive && existing.kind === "dir") return undefined;
            throw fsError("EEXIST", "mkdir", path);
          }
          const missing: string[] = [];
          for (let at = path; !this.#names.has(at); at = parentOf(at)) missing.unshift(at);
          if (missing.length > 1 && !options?.recursive) throw fsError("ENOENT", "mkdir", path);
          for (const dir of missing) {
            this.#parent(dir, "mkdir");
            this.#name(dir, { kind: "dir" });
          }
          return options?.recursive ? missing[0] : undefined;
        });
      },
      rmdir: (pathLike: unknown) => {
        const path = norm(pathLike);
        return io(`rmdir ${path}`, () => {
          if (this.#get(path, "rmdir").kind !== "dir") throw fsError("ENOTDIR", "rmdir", path);
          if (this.list(path).length) throw fsError("ENOTEMPTY", "rmdir", path);
          this.#name(path, undefined);
        });
      },
      truncate: (pathLike: unknown, length = 0) => {
        const path = norm(pathLike);
        return io(`truncate ${path}`, () => {
          const inode = this.#file(path, "open");
          inode.data = inode.data.slice(0, length);
        });
      },
    };
  }
}
