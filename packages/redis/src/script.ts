import type { RedisCommand } from "./command.js";

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A Lua script run as one atomic step: by its SHA-1 (EVALSHA), loaded with EVAL the first time a
 * server does not know it (a new server, a restart, a failover).
 */
export function luaScript(
  lua: string,
): (command: RedisCommand, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown> {
  let sha: Promise<string> | undefined;
  return async (command, keys, args) => {
    sha ??= crypto.subtle.digest("SHA-1", new TextEncoder().encode(lua)).then(hex);
    const rest = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await command(["EVALSHA", await sha, ...rest]);
    } catch (error) {
      if (!/NOSCRIPT/.test(String((error as Error)?.message ?? error))) throw error;
      return command(["EVAL", lua, ...rest]);
    }
  };
}
