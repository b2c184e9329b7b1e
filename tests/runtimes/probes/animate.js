// vclm's one call, animate(), in this runtime: against an in-process emulator (its URL and key read
// from an env object, as a Worker's env), through faults: a throttled Submit, faults of Describe,
// and a Submit whose answer is lost (never sent twice).
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { animate } from "vclm";

export default async function probe({ photoBase64 }) {
  const emulator = createEmulator({ schedule: { waitMs: 100, runMs: 200 } });
  const fetch = (input, init) => emulator.fetch(new Request(input, init));
  const env = {
    VCLM_ENDPOINT: "http://vclm.emulator.test/",
    TENCENTCLOUD_SECRET_ID: DEMO_ACCOUNT.secretId,
    TENCENTCLOUD_SECRET_KEY: DEMO_ACCOUNT.secretKey,
  };
  const photo = Uint8Array.from(atob(photoBase64), (c) => c.charCodeAt(0));
  const retried = [];
  const options = { env, fetch, retry: { onRetry: (event) => retried.push(event.reason) } };
  const jobs = () => [...emulator.jobs.all()].length;

  // Seed 6: the first Submit is throttled, the second goes through.
  emulator.scenarios.chaos({ rate: 0.6, kinds: ["throttle"], actions: ["SubmitImageAnimateJob"], seed: 6 });
  const statuses = [];
  const first = await animate(new Blob([photo]), { ...options, template: "tuziwu", onProgress: (job) => statuses.push(job.Status) });
  // Seed 19: the first Describe meets a dropped connection, the second a throttle.
  emulator.scenarios.reset().chaos({ rate: 0.5, actions: ["DescribeImageAnimateJob"], seed: 19 });
  const second = await animate(photo, options);
  const bytes = await second.download();
  const streamed = new Uint8Array(await new Response(await second.stream()).arrayBuffer());

  emulator.scenarios.reset().loseAnswer({ count: 1, actions: ["SubmitImageAnimateJob"] });
  const before = jobs();
  const lost = await animate(photo, options).catch((error) => error.name);
  return {
    jobs: [first.jobId, second.jobId].every((id) => /^\d+$/.test(id)),
    statuses: [statuses[0], statuses.at(-1)],
    template: first.template,
    retried: [...new Set(retried)].sort(),
    ftyp: new TextDecoder().decode(bytes.subarray(4, 8)),
    streamedSame: streamed.length === bytes.length && streamed.every((b, i) => b === bytes[i]),
    expiresInHours: Math.round((second.expiresAt.getTime() - Date.now()) / 3_600_000),
    lost,
    jobsMadeByLostSubmit: jobs() - before,
  };
}
