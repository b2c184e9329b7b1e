interface Globals {
  process?: { versions?: { node?: string; bun?: string } };
  navigator?: { userAgent?: string };
}

/**
 * Node itself, with its own fetch (undici), and not a runtime that imitates Node's globals (Deno,
 * Bun, workerd with nodejs_compat): each of those, like Node 21+, names itself in
 * `navigator.userAgent`; Node 20 has no navigator. Where the photo path measured a Node-only gain,
 * it asks this.
 */
export function isNode(): boolean {
  const { process, navigator } = globalThis as Globals;
  return navigator
    ? navigator.userAgent?.startsWith("Node.js/") === true
    : typeof process?.versions?.node === "string" && !process.versions.bun;
}
