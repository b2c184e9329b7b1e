import { createRequire } from "node:module";
import { isVclmError, VclmPhotoError } from "@vclm/core";
import { readArgs } from "./args.js";
import { animateCommand, describeCommand, type Output, submitCommand, waitCommand } from "./commands/jobs.js";
import { connect } from "./connect.js";
import { USAGE, UsageError } from "./usage.js";

const COMMANDS = { animate: animateCommand, submit: submitCommand, describe: describeCommand, wait: waitCommand };

/**
 * Runs the CLI with these arguments; resolves to the exit code. Errors are one clear line on stderr:
 * 2 for a mistake in the call, 1 for anything else; a stack trace only with VCLM_DEBUG=1.
 */
export async function main(argv: string[]): Promise<number> {
  let json = false;
  try {
    const args = readArgs(argv);
    json = args.json;
    if (args.version) {
      const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
      console.log(version);
      return 0;
    }
    if (args.help || !args.command) {
      console.log(USAGE);
      return args.command || args.help ? 0 : 2;
    }
    if (args.command === "emulator") {
      const { runEmulatorCli } = await import("./commands/emulator.js");
      return runEmulatorCli(args.rest);
    }
    const command = COMMANDS[args.command as keyof typeof COMMANDS];
    if (!command) throw new UsageError(`unknown command "${args.command}": use animate, submit, describe, wait or emulator`);
    const { client, close } = await connect(args);
    let output: Output;
    try {
      output = await command(client, args);
    } finally {
      await close();
    }
    console.log(json ? JSON.stringify(output.json) : output.text);
    return output.exitCode ?? 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = usage || error instanceof Error ? (error as Error).message : String(error);
    const hint = isVclmError(error, VclmPhotoError) ? " (the service would refuse this photo: no job was submitted)" : "";
    // A job that exists is paid for: its JobId goes with every error after the Submit.
    const jobId = (error as { jobId?: string })?.jobId;
    if (json)
      console.log(
        JSON.stringify({
          ...(jobId && { JobId: jobId }),
          error: { name: (error as Error)?.name, code: (error as { code?: string })?.code, message },
        }),
      );
    console.error(`vclm: ${message}${hint}`);
    if (process.env.VCLM_DEBUG) console.error(error);
    return usage ? 2 : 1;
  }
}
