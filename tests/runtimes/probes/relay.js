// @vclm/relay as a plain fetch handler inside this runtime, in front of the emulator's fetch
// handler: a signed Describe goes client -> relay -> emulator, which verifies the signature; a
// request for another action, and one with a cookie, are handled as the relay promises.
import { DescribeImageAnimateJob, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { createRelay } from "@vclm/relay";

export default async function probe() {
  const emulator = createEmulator();
  const seenByEmulator = [];
  const relay = createRelay({
    target: "http://vclm.emulator.test/",
    fetch: (input, init) => {
      const request = new Request(input, init);
      seenByEmulator.push(request.headers.get("cookie"));
      return emulator.fetch(request);
    },
  });
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://app.test/vclm",
    signingHost: "vclm.emulator.test",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set("cookie", "session=private");
      return relay(request);
    },
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
  const { Status } = await client.send(DescribeImageAnimateJob, { JobId });
  const other = await relay(
    new Request("http://app.test/vclm", { method: "POST", headers: { "X-TC-Action": "GetFederationToken" }, body: "{}" }),
  );
  return { Status, otherAction: other.status, cookiesForwarded: seenByEmulator.filter(Boolean).length };
}
