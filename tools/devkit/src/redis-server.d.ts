/** Installs Debian's redis-server if it is missing (needs root, as CI has). */
export function ensureRedisServer(): void;

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGKILL with `kill: true`, as a crash would) and, unless kept, removes its folder. */
  stop(options?: { kill?: boolean; keepData?: boolean }): Promise<void>;
  /** Starts it again on the same port and folder (what the AOF kept comes back). */
  restart(): Promise<void>;
}

/** A real redis-server on a free loopback port with a temporary folder (AOF on, fsync always). */
export function startRedisServer(): Promise<RedisServer>;
