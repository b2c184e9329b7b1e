// The size budget's fixture: a Cloudflare Worker that makes a client and describes a job, as a
// user would write it. Bundled the way wrangler does (workerd/worker/browser conditions).
import { DescribeImageAnimateJob, fromEnv, VclmClient } from "@vclm/core";

export default {
  async fetch(request, env) {
    const client = new VclmClient({ region: "ap-singapore", credentials: fromEnv(env) });
    const JobId = new URL(request.url).searchParams.get("job") ?? "";
    return Response.json(await client.send(DescribeImageAnimateJob, { JobId }));
  },
};
