// Times a Submit with a 10 MB JPEG in one runtime, against the bench's loopback server (through the
// page's relay in a browser): wall time per call, the median of 11 after 2 warm-up calls, for each
// form this build of @vclm/core takes. Wall time, because not every runtime tells CPU time; the
// server answers at once, so the call is the client's own work and one loopback write.
import * as core from "@vclm/core";
import { largeJpeg } from "@vclm/tools/large-jpeg";

export default async function probe({ endpoint, relayTarget, credentials }) {
  const { SubmitImageAnimateJob, VclmClient, photoToBase64 } = core;
  const inBrowser = typeof document !== "undefined";
  const client = new VclmClient({
    region: "ap-singapore",
    credentials,
    preflight: false,
    ...(inBrowser ? { endpoint: new URL("/relay", location.origin).href, signingHost: new URL(relayTarget).hostname } : { endpoint }),
  });
  const photo = largeJpeg();
  const forms = {
    "photoToBase64 + ImageBase64": async () => ({ ImageBase64: await photoToBase64(photo) }),
    // Builds from before `photo` existed do not have toBase64 either: that is how to tell.
    ...(core.toBase64 && { "photo (bytes)": async () => ({ photo }) }),
  };
  const result = {};
  for (const [form, input] of Object.entries(forms)) {
    const times = [];
    for (let i = 0; i < 13; i++) {
      const start = performance.now();
      const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ...(await input()) });
      if (JobId !== "1194931538865782784") throw new Error(`wrong answer: ${JobId}`);
      if (i >= 2) times.push(performance.now() - start);
    }
    result[form] = times.sort((a, b) => a - b)[5];
  }
  return result;
}
