import { parseArgs } from "node:util";
import { TEMPLATE_IDS, type TemplateId } from "@vclm/core";
import { UsageError } from "./usage.js";

export interface Args {
  readonly command: string | undefined;
  readonly operands: string[];
  readonly template: TemplateId;
  readonly out: string | undefined;
  readonly outDir: string | undefined;
  readonly resubmitUnsure: boolean;
  /** --adopt NAME=JOBID, by photo name. */
  readonly adopt: Record<string, string>;
  readonly imageUrl: string | undefined;
  readonly emulator: boolean;
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly json: boolean;
  /** Many photos: only what must not be missed on stderr. */
  readonly quiet: boolean;
  /** Many photos: every event on stderr. */
  readonly verbose: boolean;
  readonly force: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** Options the emulator command passes on. */
  readonly rest: string[];
}

export function readArgs(argv: string[]): Args {
  if (argv[0] === "emulator") return { ...defaults(), command: "emulator", rest: argv.slice(1) };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/, ""));
  }
  const { values, positionals } = parsed;
  const template = values.template ?? "ke3";
  if (!TEMPLATE_IDS.includes(template as never))
    throw new UsageError(`--template must be one of ${TEMPLATE_IDS.join(", ")}, not "${template}"`);
  if (values.emulator && values.endpoint) throw new UsageError("give --emulator or --endpoint, not both");
  if (values.quiet && values.verbose) throw new UsageError("give --quiet or --verbose, not both");
  return {
    command: positionals[0],
    operands: positionals.slice(1),
    template: template as Args["template"],
    out: values.out,
    outDir: values["out-dir"],
    resubmitUnsure: values["resubmit-unsure"] ?? false,
    adopt: readAdopt(values.adopt ?? []),
    imageUrl: values["image-url"],
    emulator: values.emulator ?? false,
    endpoint: values.endpoint,
    region: values.region ?? "ap-singapore",
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    verbose: values.verbose ?? false,
    force: values.force ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    rest: [],
  };
}

const parse = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      template: { type: "string", short: "t" },
      out: { type: "string", short: "o" },
      "out-dir": { type: "string" },
      "resubmit-unsure": { type: "boolean" },
      adopt: { type: "string", multiple: true },
      "image-url": { type: "string" },
      emulator: { type: "boolean" },
      endpoint: { type: "string" },
      region: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      verbose: { type: "boolean", short: "v" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });

const defaults = (): Omit<Args, "command" | "rest"> => ({
  operands: [],
  template: "ke3",
  out: undefined,
  outDir: undefined,
  resubmitUnsure: false,
  adopt: {},
  imageUrl: undefined,
  emulator: false,
  endpoint: undefined,
  region: "ap-singapore",
  json: false,
  quiet: false,
  verbose: false,
  force: false,
  help: false,
  version: false,
});

/** `--adopt NAME=JOBID`, each photo once. */
function readAdopt(pairs: string[]): Record<string, string> {
  const adopt: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^(.+)=(\d+)$/.exec(pair);
    if (!match) throw new UsageError(`--adopt takes NAME=JOBID (a photo's name and the job found for it), not "${pair}"`);
    const [, name = "", JobId = ""] = match;
    if (adopt[name] && adopt[name] !== JobId)
      throw new UsageError(`--adopt names ${name} twice (jobs ${adopt[name]} and ${JobId}): a photo has one job`);
    adopt[name] = JobId;
  }
  return adopt;
}
