// Test-only name resolution, like a hosts-file entry: *.tencentcloudapi.com resolves to 127.0.0.1,
// so the official SDKs run unmodified (their own host names, so their own signing scope) against
// the emulator's port. No lookup of those names ever leaves this process.
import dns from "node:dns";

const original = dns.lookup;

export function routeTencentToLoopback(): () => void {
  const patched = ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
    if (/(^|\.)tencentcloudapi\.com$/i.test(hostname)) {
      const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
      return process.nextTick(() => (all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4)));
    }
    return (original as (...args: unknown[]) => void)(hostname, options, callback);
  }) as typeof dns.lookup;
  dns.lookup = patched;
  return () => {
    dns.lookup = original;
  };
}
