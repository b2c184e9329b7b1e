interface Globals {
  process?: { versions?: { node?: string; bun?: string } };
  Deno?: unknown;
  navigator?: { userAgent?: string };
}

/**
 * Node itself, with its own fetch (undici), and not a runtime that imitates Node's globals (Deno,
 * Bun, workerd with nodejs_compat). Where the photo path measured a Node-only gain, it asks this.
 */
export function isNode(): boolean {
  const globals = globalThis as Globals;
  const versions = globals.process?.versions;
  return typeof versions?.node === "string" && !versions.bun && !globals.Deno && globals.navigator?.userAgent !== "Cloudflare-Workers";
}
