/**
 * Where environment variables are read: a plain object (a Worker's `env`, `process.env`).
 *
 * @example
 * ```ts
 * const env: EnvRecord = { TENCENTCLOUD_SECRET_ID: "AKID...", TENCENTCLOUD_SECRET_KEY: "..." };
 * const credentials = defaultCredentials({ env });
 * ```
 */
export type EnvRecord = Readonly<Record<string, unknown>>;

interface RuntimeGlobals {
  Deno?: { env: { get(name: string): string | undefined } };
  process?: { env: Record<string, string | undefined> };
}

/**
 * The variables `names`, from `env` when given, else from the runtime's own environment:
 * `process.env` (Node, Bun), `Deno.env` (Deno; without `--allow-env`, as if unset), none in Workers
 * and browsers. Strings only; an empty one counts as unset.
 */
export function readEnv(names: readonly string[], env?: EnvRecord): Record<string, string | undefined> {
  const { Deno, process } = globalThis as RuntimeGlobals;
  const get = (name: string): unknown => {
    try {
      return env ? env[name] : process?.env ? process.env[name] : Deno?.env.get(name);
    } catch {}
  };
  return Object.fromEntries(
    names.map((name) => {
      const value = get(name);
      return [name, typeof value === "string" && value ? value : undefined];
    }),
  );
}
