import { failureOfCode } from "@vclm/core";

/**
 * What the service's answer (HTTP 200) to a paid request says: the JobId it made, or that it made
 * none (an error the service returned before making a job: JobNumExceed, a refused photo, bad
 * credentials, a throttle). An answer that cannot be read proves nothing.
 */
export function madeNoJob(text: string): { JobId?: string; noJob: boolean } {
  let response: { JobId?: unknown; Error?: { Code?: unknown } } | undefined;
  try {
    response = (JSON.parse(text) as { Response?: typeof response }).Response;
  } catch {
    return { noJob: false };
  }
  if (typeof response?.JobId === "string") return { JobId: response.JobId, noJob: false };
  const code = response?.Error?.Code;
  // Core's one failure table: only an error the service may have made a job before (it failed
  // while working) keeps the unit spent; the same rule @vclm/retry and @vclm/batch follow.
  return { noJob: typeof code === "string" && failureOfCode(code) !== "may-have-arrived" };
}
