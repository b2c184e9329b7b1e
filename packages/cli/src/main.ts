import { createRequire } from "node:module";
import { isVclmError, mayHaveArrived, VclmPhotoError } from "@vclm/core";
import { closest } from "@vclm/core/internal";
import { JobFailedError } from "@vclm/poller";
import { type Args, readArgs } from "./args.js";
import { animateCommand, describeCommand, type Output, submitCommand, waitCommand } from "./commands/jobs.js";
import { type JobState, resumeCommand, whatIsLeftNow } from "./commands/left.js";
import { StoppedError } from "./commands/stop.js";
import { connect } from "./connect.js";
import { nextStep } from "./next-step.js";
import { COMMAND_NAMES, commandUsage, USAGE, UsageError } from "./usage.js";

const COMMANDS = { animate: animateCommand, submit: submitCommand, describe: describeCommand, wait: waitCommand };

const unknownCommand = (command: string) => {
  const near = closest(command, COMMAND_NAMES);
  return new UsageError(`unknown command "${command}"${near ? `: did you mean ${near}?` : ""} (commands: ${COMMAND_NAMES.join(", ")})`);
};

/** `vclm help [command]`, `vclm <command> --help`, `vclm --help`: the help asked for, on stdout. */
async function help(command: string | undefined): Promise<number> {
  if (command === "emulator") {
    const { runEmulatorCli } = await import("./commands/emulator.js");
    return runEmulatorCli(["--help"]);
  }
  if (command === undefined || command === "help") console.log(USAGE);
  else console.log(commandUsage(command) ?? USAGE);
  return 0;
}

/**
 * The exit code of an error: 2 a mistake in the call or setup, 3 a Submit that may have reached the
 * service (a job may exist), 130/143 stopped by a signal, 1 the rest.
 */
function exitCodeOf(error: unknown, state: JobState): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof StoppedError) return error.exitCode;
  return state.phase === "submitting" && mayHaveArrived(error) ? 3 : 1;
}

/** What follows an error's message: why no job was submitted, what to do, what is left of the job and how to pick it up. */
function followUp(error: unknown, state: JobState, args: Args | undefined): string {
  if (isVclmError(error, VclmPhotoError)) return " (the service would refuse this photo: no job was submitted)";
  const steps = [nextStep(error, args)];
  // Only a job that exists is left: a Submit's own failure says what it means itself.
  const said = error instanceof UsageError || error instanceof StoppedError || isVclmError(error, JobFailedError);
  if (args && state.JobId && state.phase !== "submitting" && !said)
    // An error that names the job (a wait that stopped, or gave up) says already that it may finish.
    steps.push(
      (error as { jobId?: string }).jobId && state.phase === "waiting" && !args.emulator
        ? `Pick it up with: ${resumeCommand(state.JobId, args, state.out)}`
        : whatIsLeftNow(state, args),
    );
  return steps
    .filter(Boolean)
    .map((step) => ` ${step}`)
    .join("");
}

/** The message, ending as a sentence before what follows it. */
const sentence = (message: string, next: string) => (next.startsWith(" (") || !next || /[.?!]$/.test(message) ? message : `${message}.`);

/**
 * Runs the CLI with these arguments; resolves to the exit code. Errors are one clear message on
 * stderr (what happened, what it means for money, what to do), with the exit codes
 * the README lists; a stack trace only with VCLM_DEBUG=1.
 */
export async function main(argv: string[]): Promise<number> {
  let args: Args | undefined;
  const state: JobState = { phase: "before" };
  try {
    args = readArgs(argv);
    for (const note of args.notes) process.stderr.write(`${note}\n`);
    if (args.version) {
      const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
      console.log(version);
      return 0;
    }
    if (args.command === "help") {
      const [command] = args.operands;
      if (command && !COMMAND_NAMES.includes(command)) throw unknownCommand(command);
      return help(command);
    }
    if (args.command && !COMMAND_NAMES.includes(args.command)) throw unknownCommand(args.command);
    if (args.help) return help(args.command);
    if (!args.command) {
      console.log(USAGE);
      return 2;
    }
    if (args.command === "emulator") {
      const { runEmulatorCli } = await import("./commands/emulator.js");
      return runEmulatorCli(args.rest);
    }
    const command = COMMANDS[args.command as keyof typeof COMMANDS];
    const { client, close } = await connect(args);
    let output: Output;
    try {
      output = await command(client, args, state);
    } finally {
      await close();
    }
    console.log(args.json ? JSON.stringify(output.json) : output.text);
    return output.exitCode ?? 0;
  } catch (error) {
    const next = followUp(error, state, args);
    const message = `${sentence(error instanceof Error ? error.message : String(error), next)}${next}`;
    // A job that exists is paid for: its JobId goes with every error after the Submit.
    const jobId = state.JobId ?? (error as { jobId?: string })?.jobId;
    if (args?.json)
      console.log(
        JSON.stringify({
          ...(jobId && { JobId: jobId }),
          error: { name: (error as Error)?.name, code: (error as { code?: string })?.code, message },
        }),
      );
    console.error(`vclm: ${message}`);
    if (process.env.VCLM_DEBUG) console.error(error);
    return exitCodeOf(error, state);
  }
}
