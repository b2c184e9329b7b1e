// The size budget's fixture: a Cloudflare Worker that animates a posted photo with vclm's one call,
// as a user would write it. Bundled the way wrangler does (workerd/worker/browser conditions).
import { animate } from "vclm";

export default {
  async fetch(request, env) {
    const video = await animate(await request.blob(), { env, template: "ke3" });
    return new Response(await video.stream(), { headers: { "content-type": "video/mp4" } });
  },
};
