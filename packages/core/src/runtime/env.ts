/** Where environment variables are read: a plain object (a Worker's `env`, `process.env`). */
export type EnvRecord = Readonly<Record<string, unknown>>;

interface RuntimeGlobals {
  Deno?: { env: { get(name: string): string | undefined } };
  process?: { env: Record<string, string | undefined> };
}

/**
 * The runtime's own environment variables `names`: `process.env` (Node, Bun), `Deno.env` (Deno);
 * none in Workers and browsers (undefined). An empty value counts as unset.
 */
export function runtimeEnv(names: readonly string[]): Record<string, string | undefined> | undefined {
  const { Deno, process } = globalThis as RuntimeGlobals;
  const get = process?.env ? (name: string) => process.env[name] : Deno ? (name: string) => Deno.env.get(name) : undefined;
  if (!get) return undefined;
  try {
    return Object.fromEntries(names.map((name) => [name, get(name) || undefined]));
  } catch {
    return undefined; // Deno without --allow-env: as if unset
  }
}

/** `names` from `env` when given, else from the runtime: strings only, empty ones as unset. */
export function readEnv(names: readonly string[], env?: EnvRecord): Record<string, string | undefined> {
  const source = env ?? runtimeEnv(names) ?? {};
  return Object.fromEntries(
    names.map((name) => {
      const value = source[name];
      return [name, typeof value === "string" && value ? value : undefined];
    }),
  );
}
