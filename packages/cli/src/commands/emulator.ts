import { spawn } from "node:child_process";
import { createRequire } from "node:module";

/** `vclm emulator ...`: the emulator's own CLI, with the same options. */
export function runEmulatorCli(args: string[]): Promise<number> {
  const bin = createRequire(import.meta.url)
    .resolve("@vclm/emulator/package.json")
    .replace(/package\.json$/, "bin/vclm-emulator.js");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}
