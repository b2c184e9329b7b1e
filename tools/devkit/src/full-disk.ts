// node:fs/promises with a disk that fills up (for @vclm/batch's files option, and vclm/node's save()): after `room` more bytes, a write takes what fits (a
// short write, as Linux answers) and every write after it fails with ENOSPC, until `free()`.
import * as fs from "node:fs/promises";

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

type Handle = Awaited<ReturnType<typeof fs.open>>;

export function fullDisk(room = Number.POSITIVE_INFINITY) {
  const disk = { room, shortWrites: 0, refused: 0 };
  const take = (wanted: number) => {
    if (disk.room <= 0) {
      disk.refused++;
      throw enospc();
    }
    const taken = Math.min(wanted, disk.room);
    if (taken < wanted) disk.shortWrites++;
    disk.room -= taken;
    return taken;
  };
  const handle = (real: Handle): Handle =>
    new Proxy(real, {
      get(target, property) {
        if (property === "write")
          return async (data: Uint8Array | string, offset?: number | null, length?: number, position?: number | null) => {
            if (typeof data === "string") {
              const bytes = Buffer.from(data);
              const taken = take(bytes.length);
              const { bytesWritten } = await target.write(bytes, 0, taken, (offset as number | null | undefined) ?? null);
              return { bytesWritten, buffer: data };
            }
            const start = offset ?? 0;
            const taken = take(length ?? data.byteLength - start);
            return target.write(data, start, taken, position ?? null);
          };
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const files: typeof fs = {
    ...fs,
    open: (async (...args: Parameters<typeof fs.open>) => handle(await fs.open(...args))) as typeof fs.open,
    writeFile: (async (path: string, data: string | Uint8Array, options?: object) => {
      const size = Buffer.byteLength(data as string);
      if (take(size) < size) throw enospc();
      return fs.writeFile(path, data, options as never);
    }) as typeof fs.writeFile,
  };
  return {
    files,
    disk,
    /** Room for `bytes` more. */
    free(bytes = Number.POSITIVE_INFINITY) {
      disk.room = bytes;
    },
  };
}
