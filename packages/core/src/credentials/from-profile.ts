import type { Credentials, CredentialsProvider } from "@vclm/signer";
import { canReadFiles, homeDirectory, readTextFile } from "#files";
import { VclmValidationError } from "../errors/validation-error.js";
import { keepFirstSuccess } from "../util/keep-first-success.js";
import { parseIni } from "./ini.js";

/**
 * Where the official SDKs look for a credentials file, in order: the user's, then the system's.
 *
 * @example
 * ```ts
 * const places: readonly string[] = PROFILE_FILES; // "~/.tencentcloud/credentials", then "/etc/tencentcloud/credentials"
 * ```
 */
export const PROFILE_FILES = ["~/.tencentcloud/credentials", "/etc/tencentcloud/credentials"] as const;

/**
 * Options for {@link fromProfile}.
 *
 * @example
 * ```ts
 * const options: FromProfileOptions = { profile: "vclm", file: "/run/secrets/tencentcloud" };
 * ```
 */
export interface FromProfileOptions {
  /** The section to read. @default "default" */
  readonly profile?: string | undefined;
  /** The file to read. @default `~/.tencentcloud/credentials` if it exists, else `/etc/tencentcloud/credentials` */
  readonly file?: string | undefined;
}

/** What a profile search found: credentials, or why there are none (an absent file or section). */
export type ProfileLookup = { readonly credentials: Credentials; readonly file: string } | { readonly absent: string };

const fail = (file: string, message: string) => new VclmValidationError("credentials profile", [{ path: file, message }]);
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Finds the profile: the first file that exists (the given one, or the official SDKs' two), its
 * section. An absent file or section is an answer; a file that cannot be read or parsed, or a
 * section without both keys, is an error naming the file and line.
 */
export async function lookUpProfile({ profile = "default", file }: FromProfileOptions = {}): Promise<ProfileLookup> {
  if (!canReadFiles) return { absent: "this runtime has no files" };
  const home = homeDirectory();
  const candidates = file ? [file] : PROFILE_FILES.map((path) => (path.startsWith("~/") ? home && `${home}${path.slice(1)}` : path));
  for (const path of candidates) {
    if (!path) continue;
    let text: string;
    try {
      text = await readTextFile(path);
    } catch (error) {
      if (codeOf(error) === "ENOENT" || codeOf(error) === "ENOTDIR") continue;
      throw fail(path, `cannot be read (${codeOf(error) ?? error})`);
    }
    const parsed = parseIni(text);
    if ("badLine" in parsed) throw fail(path, `line ${parsed.badLine} ${parsed.problem}`);
    const section = parsed.sections.get(profile);
    if (!section) return { absent: `${path} has no [${profile}] section` };
    const [secretId, secretKey, token] = ["secret_id", "secret_key", "token"].map((key) => section.get(key) || undefined);
    if (!secretId || !secretKey)
      throw fail(path, `the [${profile}] section needs secret_id and secret_key (missing: ${secretId ? "secret_key" : "secret_id"})`);
    return { file: path, credentials: token ? { secretId, secretKey, token } : { secretId, secretKey } };
  }
  const tried = candidates.filter(Boolean);
  return {
    absent: tried.length > 1 ? `neither ${tried.join(" nor ")} exists` : `${tried[0] ?? "no home folder, so no file"} does not exist`,
  };
}

/**
 * Credentials from a Tencent Cloud credentials file, as the official SDKs read it: the `[default]`
 * section (or `profile`) of `~/.tencentcloud/credentials`, else of `/etc/tencentcloud/credentials`,
 * with `secret_id`, `secret_key` and, for temporary credentials, `token`. Node, Deno (with
 * `--allow-read`) and Bun. The file is read at the first call and kept; a missing file or section,
 * a line that is not `key = value`, or a missing key fails that call with a `VclmValidationError`
 * naming the file and line, never its contents.
 *
 * @example
 * ```ts
 * // ~/.tencentcloud/credentials:
 * //   [default]
 * //   secret_id = AKID...
 * //   secret_key = ...
 * const client = new VclmClient({ region: "ap-singapore", credentials: fromProfile() });
 * ```
 */
export function fromProfile(options: FromProfileOptions = {}): CredentialsProvider {
  // A failed read is not kept: the next call reads again (the file may have been written since).
  return keepFirstSuccess(async () => {
    if (!canReadFiles) throw fail("file", "this runtime has no files: fromProfile works in Node, Deno and Bun");
    const lookup = await lookUpProfile(options);
    if ("absent" in lookup) throw fail(options.file ?? "file", lookup.absent);
    return lookup.credentials;
  });
}
