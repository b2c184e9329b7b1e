import { parseArgs } from "node:util";
import { TEMPLATE_IDS, type TemplateId } from "@vclm/core";
import { closest } from "@vclm/core/internal";
import { DEFAULT_REGION, endpointGuess, KNOWN_REGIONS, nearMissOf } from "./animate/connect.js";
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
  /** Each call, retry decision and job status on stderr (observe's events); many photos: every batch event too. */
  readonly verbose: boolean;
  readonly force: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** Options the emulator command passes on. */
  readonly rest: string[];
  /** What stderr should say before anything runs (a region VCLM is not documented in). */
  readonly notes: string[];
}

/**
 * The command line read and checked. `VCLM_ENDPOINT` and `VCLM_REGION` in `env` stand in for
 * `--endpoint` and `--region` when those are not given (as animate() reads them), except that
 * `--emulator` wins over `VCLM_ENDPOINT`.
 */
export function readArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Args {
  if (argv[0] === "emulator") return { ...defaults(), command: "emulator", rest: argv.slice(1) };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw optionMistake(error as Error & { code?: string }, argv);
  }
  const { values, positionals } = parsed;
  const template = values.template ?? "ke3";
  if (!TEMPLATE_IDS.includes(template as never)) {
    const near = closest(template, TEMPLATE_IDS);
    throw new UsageError(`--template must be one of ${TEMPLATE_IDS.join(", ")}, not "${template}"${near ? `: did you mean ${near}?` : ""}`);
  }
  if (values.emulator && values.endpoint) throw new UsageError("give --emulator or --endpoint, not both");
  if (values.quiet && values.verbose) throw new UsageError("give --quiet or --verbose, not both");
  const imageUrl = values["image-url"];
  if (imageUrl !== undefined && !/^https?:\/\/[^/]/i.test(imageUrl))
    throw new UsageError(
      `--image-url must be an http(s) URL the service can fetch, such as https://example.com/dancer.jpg, not "${imageUrl}"`,
    );
  if (imageUrl !== undefined && positionals.length > 1)
    throw new UsageError(`give a photo file or --image-url, not both: ${positionals[1]} would be ignored`);
  const endpoint = values.endpoint ?? (values.emulator ? undefined : env.VCLM_ENDPOINT || undefined);
  if (endpoint !== undefined) checkEndpoint(endpoint, values.endpoint === undefined ? "VCLM_ENDPOINT" : "--endpoint");
  const notes: string[] = [];
  const region = values.region ?? (env.VCLM_REGION || DEFAULT_REGION);
  checkRegion(region, notes, values.region === undefined && env.VCLM_REGION ? "VCLM_REGION" : "--region");
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
    endpoint,
    region,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    verbose: values.verbose ?? false,
    force: values.force ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    rest: [],
    notes,
  };
}

const OPTIONS = {
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
} as const;

/** parseArgs's refusal, as a usage mistake that names the option and the one it is closest to. */
function optionMistake(error: Error & { code?: string }, argv: string[]): UsageError {
  // "Unknown option '--colour'", "Option '-o, --out <value>' argument missing": the long name where there is one.
  const named = /'(?:-\w, )?(--?[^' ]+)/.exec(error.message)?.[1] ?? "";
  const help = `(vclm ${argv.find((arg) => !arg.startsWith("-")) ?? ""} --help lists the options)`.replace("  ", " ");
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const near = closest(named.replace(/^-+/, "").replace(/=.*$/, ""), Object.keys(OPTIONS));
    return new UsageError(`unknown option ${named}${near ? `: did you mean --${near}?` : ""} ${help}`);
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
    return new UsageError(
      /argument missing/.test(error.message)
        ? `${named} needs a value, as in ${named}${OPTION_EXAMPLES[named] ?? " <value>"}`
        : `${named} takes no value ${help}`,
    );
  return new UsageError(error.message.replace(/\. To specify.*$/, ""));
}

const OPTION_EXAMPLES: Record<string, string> = {
  "--template": " ke3",
  "--out": " dance.mp4",
  "--out-dir": " videos/",
  "--image-url": " https://example.com/dancer.jpg",
  "--endpoint": " http://127.0.0.1:8080",
  "--region": ` ${DEFAULT_REGION}`,
};

/** --endpoint must be an http(s) URL: "localhost:8080" parses as a URL of scheme "localhost:", and is not one. */
function checkEndpoint(endpoint: string, name: string): void {
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  if (url && (url.protocol === "http:" || url.protocol === "https:")) return;
  const guess = endpointGuess(endpoint);
  throw new UsageError(
    `${name} must be an http(s) URL such as http://127.0.0.1:8080, not "${endpoint}"${guess ? `: did you mean ${guess}?` : ""}`,
  );
}

/**
 * A near miss of a known region (`ap-singapor`) is refused: its calls would fail, or go where they
 * were not meant to. Another well-formed region is sent as asked, with a note: VCLM may be in more
 * regions than this CLI knows.
 */
function checkRegion(region: string, notes: string[], name: string): void {
  if (KNOWN_REGIONS.includes(region)) return;
  const near = nearMissOf(region);
  if (near) throw new UsageError(`${name} ${region} is not a region: did you mean ${near}?`);
  if (!/^[a-z]{2,}-[a-z]+(-\d+)?$/.test(region))
    throw new UsageError(`${name} must be a region such as ${DEFAULT_REGION}, not "${region}"`);
  notes.push(`note: VCLM is documented in ${KNOWN_REGIONS.join(", ")} only; sending to ${region} as asked`);
}

const parse = (argv: string[]) => parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });

const defaults = (): Omit<Args, "command" | "rest"> => ({
  notes: [],
  operands: [],
  template: "ke3",
  out: undefined,
  outDir: undefined,
  resubmitUnsure: false,
  adopt: {},
  imageUrl: undefined,
  emulator: false,
  endpoint: undefined,
  region: DEFAULT_REGION,
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
