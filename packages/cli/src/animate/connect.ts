import { fromEnv, isVclmError, VclmClient, VclmValidationError } from "@vclm/core";
import { closest, readEnv } from "@vclm/core/internal";
import { retry } from "@vclm/retry";
import type { AnimateOptions } from "./options.js";

/** The API's one region. */
export const DEFAULT_REGION = "ap-singapore";

/**
 * The regions VCLM is documented in (the API names one). The list may grow before this one does,
 * so only a near miss of one of these is a mistake; another region is sent as asked.
 */
export const KNOWN_REGIONS: readonly string[] = [DEFAULT_REGION];

/** The URL a malformed endpoint likely meant: `http//host` or `http:/host` (a scheme typed wrong), `host:8080` (none at all). */
export function endpointGuess(endpoint: string): string | undefined {
  const mistyped = /^(https?)(?::\/*|\/+)(?=[\w[])/i.exec(endpoint);
  const rest = mistyped ? endpoint.slice(mistyped[0].length) : endpoint;
  if (!/^[\w.-]+(:\d+)?(\/.*)?$/.test(rest) && !/^\[[\d:a-f]+\](:\d+)?/i.test(rest)) return undefined;
  return `${mistyped?.[1]?.toLowerCase() ?? "http"}://${rest}`;
}

/** The known region a misspelt one is a near miss of (`ap-singapor`), if it is one. */
export const nearMissOf = (region: string): string | undefined =>
  KNOWN_REGIONS.includes(region) ? undefined : closest(region, KNOWN_REGIONS);

/**
 * The client `animate` sends with: the one given, or one made from the options, then the
 * `VCLM_REGION` / `VCLM_ENDPOINT` variables, then the defaults; with retries unless `retry: false`.
 */
export function clientFor(options: AnimateOptions): VclmClient {
  if (options.client) return options.client;
  // Only what the options leave open is read: Deno asks for each variable it is not allowed.
  const variable = (name: string) => readEnv([name], options.env)[name];
  const region = options.region ?? variable("VCLM_REGION") ?? DEFAULT_REGION;
  const endpoint = options.endpoint ?? variable("VCLM_ENDPOINT");
  const near = nearMissOf(region);
  if (near) {
    const name = options.region === undefined ? "VCLM_REGION" : "region";
    throw new VclmValidationError("animate", [{ path: name, message: `${name} ${region} is not a region: did you mean ${near}?` }]);
  }
  const credentials = options.credentials ?? (options.env && fromEnv(options.env));
  let client: VclmClient;
  try {
    client = new VclmClient({
      region,
      ...(endpoint !== undefined && { endpoint }),
      ...(credentials && { credentials }),
      ...(options.fetch && { fetch: options.fetch }),
    });
  } catch (error) {
    if (!isVclmError(error, VclmValidationError)) throw error;
    // A bad value read from the environment is named by its variable: the code never said it.
    const from = { region: options.region === undefined && "VCLM_REGION", endpoint: options.endpoint === undefined && "VCLM_ENDPOINT" };
    throw new VclmValidationError(
      "animate",
      error.issues.map(({ path, message }) => {
        const variable = from[path as keyof typeof from];
        const guess = path === "endpoint" && endpoint !== undefined ? endpointGuess(String(endpoint)) : undefined;
        const said = `${message}${guess ? `: did you mean ${guess}?` : ""}`;
        return variable ? { path: variable, message: `${said} (it was read from ${variable})` } : { path, message: said };
      }),
    );
  }
  return options.retry === false ? client : client.use(retry(options.retry));
}
