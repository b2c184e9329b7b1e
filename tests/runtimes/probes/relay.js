// @vclm/relay inside this runtime, as plain fetch handlers in front of the emulator's fetch handler:
// a signed-in user gets credentials from the credentials handler and sends signed calls client ->
// relay -> emulator, which verifies them. An anonymous request, another action, a replayed Submit
// and a cookie are handled as the relay promises.
import { DescribeImageAnimateJob, fromEndpoint, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { createEmulator, DEMO_ACCOUNT } from "@vclm/emulator";
import { createCredentialsHandler, createRelay, memoryStore } from "@vclm/relay";

export default async function probe() {
  const emulator = createEmulator();
  const toEmulator = (input, init) => emulator.fetch(new Request(input, init));
  const seenByEmulator = [];
  // A session header, not a cookie: browsers drop a Cookie header set by script.
  const authorize = (request) => (request.headers.get("x-session") === "private" ? { id: "p" } : undefined);
  const store = memoryStore();
  const sts = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://vclm.emulator.test/",
    credentials: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    fetch: toEmulator,
  });
  // In-process, the emulator sees no client address for a qcs:ip condition to hold against: this
  // smoke test issues unbound credentials, as only a test should (wallet.test.ts binds them for real).
  const credentials = createCredentialsHandler({ authorize, sts, store, credentialsWorkFromAnywhere: true });
  const relay = createRelay({
    authorize,
    store,
    target: "http://vclm.emulator.test/",
    signingHost: "vclm.emulator.test",
    fetch: (input, init) => {
      const request = new Request(input, init);
      seenByEmulator.push(request.headers.get("cookie"));
      return emulator.fetch(request);
    },
  });
  const withCookie = (input, init) => {
    const request = new Request(input, init);
    request.headers.set("x-session", "private");
    request.headers.set("cookie", "session=private"); // where the runtime lets a script set one
    return request;
  };
  const sent = [];
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://app.test/vclm",
    signingHost: "vclm.emulator.test",
    credentials: fromEndpoint("http://app.test/api/credentials", {
      init: { method: "POST" },
      fetch: (i, o) => credentials(withCookie(i, o)),
    }),
    fetch: (input, init) => {
      const request = withCookie(input, init);
      sent.push(request.clone());
      return relay(request);
    },
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" });
  const { Status } = await client.send(DescribeImageAnimateJob, { JobId });
  const other = await relay(
    withCookie("http://app.test/vclm", { method: "POST", headers: { "X-TC-Action": "GetFederationToken" }, body: "{}" }),
  );
  const anonymous = await credentials(new Request("http://app.test/api/credentials", { method: "POST" }));
  const replay = await relay(sent[0]);
  return {
    Status,
    otherAction: other.status,
    anonymousCredentials: anonymous.status,
    replayedSubmit: replay.status,
    jobs: [...emulator.jobs.all()].length,
    cookiesForwarded: seenByEmulator.filter(Boolean).length,
  };
}
