import { TEMPLATES } from "@vclm/core";

/** Each template with its dance, the first the default: "ke3 (kemusan, default), tuziwu (rabbit dance), ...". */
const templates = Object.entries(TEMPLATES)
  .map(([id, dance], i) => `${id} (${dance}${i === 0 ? ", default" : ""})`)
  .join(", ");

/** Every option, as the help shows it: each command's help lists those it takes. */
const OPTIONS = {
  template: `  --template <id>     ${templates}`,
  out: "  --out <file>        where to save the video (animate: default <photo>-<template>.mp4, or\n                      -2, -3... when that name is taken)",
  force: "  --force             replace --out if it exists (otherwise an existing file is never touched)",
  "image-url": "  --image-url <url>   submit a photo by URL instead of a file (the service fetches it)",
  "out-dir": "  --out-dir <dir>     many photos: where the videos (and the batch's journal) go",
  "resubmit-unsure":
    "  --resubmit-unsure   many photos: submit again the photos whose Submit was in flight when an\n                      earlier run stopped (only after checking the account has no job for them)",
  adopt:
    "  --adopt NAME=JOBID  many photos: the job found for a photo that may have been submitted: the\n                      batch waits for it and saves its video (repeat for each)",
  quiet:
    "  --quiet, -q         many photos: on stderr, only what must not be missed (a JobId the journal\n                      could not record, why submitting stopped)",
  verbose:
    "  --verbose, -v       on stderr, a line per call to the service (its HTTP status, RequestId,\n                      time and attempts), per retry and per change of a job's status; many\n                      photos: every event too (each Submit, status and save)",
  emulator:
    "  --emulator          run against an embedded emulator: no account needed (its jobs end when\n                      the command ends)",
  endpoint:
    "  --endpoint <url>    send requests here (an emulator, a relay) instead of the service;\n                      default: VCLM_ENDPOINT if set",
  region:
    "  --region <region>   default: VCLM_REGION if set, else ap-singapore (the one region VCLM\n                      is documented in)",
  json: "  --json              print machine-readable JSON instead of text",
} as const;
type Option = keyof typeof OPTIONS;

const CONNECTION: Option[] = ["verbose", "emulator", "endpoint", "region", "json"];

/** Each command's help: what it does, its options, an example. */
const COMMANDS = {
  animate: {
    usage: "vclm animate <photo> [options]\n       vclm animate <photo|folder>... --out-dir <dir> [options]",
    what: "Checks the photo as the service would, submits it, waits for the job (progress on stderr), and\nsaves the video. Many photos (or a folder) with --out-dir: a batch with a journal in <dir>, so\nrunning the same command again after a crash or Ctrl-C goes on, and no photo is paid for twice.",
    options: ["template", "out", "force", "image-url", "out-dir", "resubmit-unsure", "adopt", "quiet", ...CONNECTION] as Option[],
    example:
      "vclm animate dancer.jpg --template tuziwu      # saves dancer-tuziwu.mp4\n  vclm animate photos/ --out-dir videos/          # every photo in photos/",
  },
  submit: {
    usage: "vclm submit <photo> [options]\n       vclm submit --image-url <url> [options]",
    what: "Checks the photo and submits it; prints the JobId (the job is paid for). Follow it with\nvclm describe or vclm wait.",
    options: ["template", "image-url", ...CONNECTION] as Option[],
    example: "vclm submit dancer.jpg --template ke3           # prints e.g. 1194931538865782784",
  },
  describe: {
    usage: "vclm describe <JobId> [options]",
    what: "Prints a job's status: WAIT, RUN, DONE <video URL> or FAIL <code>: <message>.",
    options: CONNECTION,
    example: "vclm describe 1194931538865782784",
  },
  wait: {
    usage: "vclm wait <JobId> [options]",
    what: "Waits for a job (progress on stderr), then prints its video's URL, or with --out saves the\nvideo. Picks up a job that an interrupted animate or submit left.",
    options: ["out", "force", ...CONNECTION],
    example: "vclm wait 1194931538865782784 --out dance.mp4",
  },
} satisfies Record<string, { usage: string; what: string; options: Option[]; example: string }>;

/** The commands, for the unknown-command message and its suggestion. */
export const COMMAND_NAMES: readonly string[] = [...Object.keys(COMMANDS), "emulator", "help"];

export const USAGE = `Usage: vclm <command> [options]

Animate a photo of a person with a dance template (Tencent Cloud VCLM image animation).

Commands:
  animate <photo>     check the photo, submit it, wait, and download the video
  animate <photo|folder>... --out-dir <dir>
                      animate many photos; a journal in <dir> makes it resumable: run the
                      same command again after a crash and no photo is paid for twice
  submit <photo>      submit a photo (or --image-url URL); prints the JobId
  describe <JobId>    print a job's status
  wait <JobId>        wait for a job, then print (and with --out, download) its video
  emulator            run a local VCLM emulator (see: vclm emulator --help)
  help [command]      this help, or a command's (the same as vclm <command> --help)

Options:
${Object.values(OPTIONS).join("\n")}
  --help, --version

Exit codes: 0 done; 1 failed (for many photos: some were not saved); 2 a mistake in the call or
the setup (an unknown option, a bad JobId or one the service does not know, credentials missing
or half set); 3 a photo may have been submitted (its job may exist: check before
--resubmit-unsure); 130 stopped by Ctrl-C, 143 by SIGTERM (what was left, and how to pick it up,
is said first; a second Ctrl-C leaves at once).

Credentials are looked for as the official SDKs look, in this order: TENCENTCLOUD_SECRET_ID,
TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN); ~/.tencentcloud/credentials, then
/etc/tencentcloud/credentials ([default] secret_id, secret_key, token); the CVM instance role;
TKE's OIDC role (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN).`;

/** A command's own help, or undefined for a command that has none here (emulator: its own CLI's). */
export function commandUsage(command: string): string | undefined {
  const help = COMMANDS[command as keyof typeof COMMANDS];
  if (!help) return undefined;
  return `Usage: ${help.usage}

${help.what}

Options:
${help.options.map((option) => OPTIONS[option]).join("\n")}
  --help

Example:
  ${help.example}`;
}

/** A mistake in how the CLI was called or set up: one message, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
