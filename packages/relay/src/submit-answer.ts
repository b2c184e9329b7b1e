/**
 * The service failed while working on the request: whether it made the job first is not said, so
 * the unit stays spent (the same rule as @vclm/retry's and @vclm/batch's for a Submit).
 */
const FAILED_INSIDE = new Set(["InternalError", "ServiceUnavailable", "FailedOperation.InnerError"]);

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
  return { noJob: typeof code === "string" && !FAILED_INSIDE.has(code) };
}
