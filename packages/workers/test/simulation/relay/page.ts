// A user's page, as apps/browser builds it: a VclmClient signing with temporary credentials from
// the app's credentials endpoint (fromEndpoint) and sending through the same-origin relay. The
// page has no retry plugin: its user reads an error and clicks again.
import { DescribeImageAnimateJob, fromEndpoint, SubmitImageAnimateJob, VclmClient, VclmResponseError } from "@vclm/core";
import type { SimProcess } from "@vclm/tools/sim";

export const APP = "http://app.test";

export function pageClient(name: string, process: SimProcess, toApp: typeof fetch, signingHost: string): VclmClient {
  const as = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.headers.set("x-user", name); // the app's session, as authorize reads it
    return toApp(request);
  };
  const credentials = fromEndpoint(`${APP}/api/credentials`, { init: { method: "POST" }, fetch: as, now: process.clock.now });
  return new VclmClient({ region: "ap-singapore", endpoint: `${APP}/vclm`, signingHost, credentials, fetch: as });
}

/** A page whose every Submit goes out twice at once, the same signed bytes (a replay: a hostile user, or a proxy that retries). */
export function replaying(toApp: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.headers.get("x-tc-action") === "SubmitImageAnimateJob")
      toApp(request.clone()).then(
        (answer) => answer.body?.cancel(),
        () => {},
      );
    return toApp(request);
  }) as typeof fetch;
}

/** Submits `photos` at once, each clicked again after a failure up to `clicks` times; resolves to the JobIds the page got. */
export async function animate(client: VclmClient, process: SimProcess, name: string, photos: number, clicks: number): Promise<string[]> {
  const jobs: string[] = [];
  const photo = async (i: number) => {
    for (let click = 1; click <= clicks; click++) {
      try {
        const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: `https://photos.test/${name}-${i}.jpg` });
        jobs.push(JobId);
        return;
      } catch (error) {
        if (error instanceof VclmResponseError && error.status === 429) return; // the quota is used up: the page says so
        await process.clock.sleep(2_000); // the user reads the error, and clicks again
      }
    }
  };
  await Promise.all(Array.from({ length: photos }, (_, i) => photo(i)));
  return jobs;
}

/** Describes each job in `jobs` (a failure is let go); resolves to the JobIds whose state the page was told. */
export async function describe(client: VclmClient, jobs: readonly string[]): Promise<string[]> {
  const told: string[] = [];
  for (const JobId of jobs) if (await client.send(DescribeImageAnimateJob, { JobId }).catch(() => undefined)) told.push(JobId);
  return told;
}
