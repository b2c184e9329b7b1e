// The service as the relay reaches it: the emulator's logic, at the relay's address (the
// credentials' qcs:ip condition holds there only), with what it did recorded against the user
// whose credentials signed the request: the jobs it made, and any Describe of one user's job it
// answered for another (a broken promise: the relay must never forward one).
import type { Emulator } from "@vclm/emulator";

/** What a run writes down: broken promises, and what happened, in words, for a failure's report. */
export interface Notes {
  readonly violations: string[];
  readonly log: string[];
}

export function recordedService(emulator: Emulator, remoteAddress: string, userOf: (secretId: string) => string, notes: Notes) {
  const owner = new Map<string, string>(); // JobId -> the user it was made for
  const jobs = new Map<string, number>(); // user -> jobs made
  const signatures = new Set<string>(); // of the Submits forwarded
  const handle = async (request: Request): Promise<Response> => {
    const action = request.headers.get("x-tc-action");
    const asked = action === "DescribeImageAnimateJob" ? ((await request.clone().json()) as { JobId: string }).JobId : undefined;
    const answer = await emulator.fetch(request, { remoteAddress });
    if (action !== "SubmitImageAnimateJob" && !asked) return answer;
    const authorization = request.headers.get("authorization") ?? "";
    const user = userOf(/Credential=([^/]+)\//.exec(authorization)?.[1] ?? "");
    const signature = /Signature=(\w+)/.exec(authorization)?.[1] ?? "";
    if (action === "SubmitImageAnimateJob" && signatures.has(signature))
      notes.violations.push(`a Submit of ${user} was forwarded twice (a replay)`);
    if (action === "SubmitImageAnimateJob") signatures.add(signature);
    const { JobId, Error: error } = ((await answer.clone().json()) as { Response: { JobId?: string; Error?: { Code: string } } }).Response;
    if (asked && !error && owner.get(asked) !== user)
      notes.violations.push(`${user}'s Describe of ${owner.get(asked)}'s job ${asked} was forwarded and answered`);
    if (action === "SubmitImageAnimateJob") notes.log.push(`service: ${user}'s Submit: ${JobId ?? error?.Code}`);
    if (JobId) {
      owner.set(JobId, user);
      jobs.set(user, (jobs.get(user) ?? 0) + 1);
    }
    return answer;
  };
  return { handle, jobs };
}
