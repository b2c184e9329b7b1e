// No open wallet: every attack the issue names, tried for real. The emulator (its own HTTP server on
// 127.0.0.1) enforces the credentials' qcs:ip condition; the relay sends from 127.0.0.2, the thief
// from 127.0.0.3. Each test counts the jobs the attack created (target: 0) and the requests the
// relay forwarded.
import { DescribeImageAnimateJob, fromEndpoint, isServiceError, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { sign } from "@vclm/signer";
import { fetchFrom } from "@vclm/tools/fetch-from";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Authorize, createCredentialsHandler, createRelay, memoryStore, type RelayStore, submitsLeft } from "../src/index.js";

const BACKEND = { secretId: "AKIDwalletBackend000000000000000000", secretKey: "wallet-backend-permanent-key-00000" };
const SESSIONS: Record<string, string> = { "session-alice": "alice", "session-bob": "bob" };
const authorize: Authorize = (request) => {
  const id = SESSIONS[request.headers.get("x-session") ?? ""];
  return id ? { id } : undefined;
};
const submit = { TemplateId: "ke3" as const, ImageUrl: "https://example.com/dancer.jpg" };

let emulator: RunningEmulator;
let store: RelayStore;
let credentials: (request: Request) => Promise<Response>;
let relay: (request: Request) => Promise<Response>;
const forwarded: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ accounts: [BACKEND], limits: { requestsPerSecond: 1_000 } });
  store = memoryStore();
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
  credentials = createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.2/32" });
  const fromRelay = fetchFrom("127.0.0.2");
  relay = createRelay({
    authorize,
    store,
    target: emulator.url,
    signingHost: "127.0.0.1",
    submitsPerDay: 3,
    fetch: async (input, init) => {
      forwarded.push(new Headers(init?.headers).get("x-tc-action") ?? "");
      return fromRelay(input, init);
    },
  });
});
afterAll(() => emulator.close());

const jobs = () => [...emulator.emulator.jobs.all()].length;
const asUser = (session: string | undefined) => (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  if (session) request.headers.set("x-session", session);
  return request;
};

/** A browser's client: credentials from the handler, calls through the relay, as `session`. */
function browser(session: string, extraHeaders: Record<string, string> = {}) {
  const as = asUser(session);
  return new VclmClient({
    region: "ap-singapore",
    endpoint: "https://app.example/vclm",
    signingHost: "127.0.0.1",
    credentials: fromEndpoint("https://app.example/api/credentials", { init: { method: "POST" }, fetch: (i, o) => credentials(as(i, o)) }),
    fetch: (input, init) => {
      const request = as(input, init);
      for (const [name, value] of Object.entries(extraHeaders)) request.headers.set(name, value);
      return relay(request);
    },
  });
}

async function issuedTo(session: string) {
  const answer = await credentials(asUser(session)("https://app.example/api/credentials", { method: "POST" }));
  const { Credentials } = (await answer.json()) as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
  return { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
}

/** A signed Submit as a browser would send it to the relay, built by hand so it can be sent twice or tampered with. */
async function signedSubmit(creds: { secretId: string; secretKey: string; token?: string }, session?: string) {
  const body = JSON.stringify(submit);
  const headers = await sign(
    {
      host: "127.0.0.1",
      headers: { "X-TC-Action": "SubmitImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
      body,
    },
    { credentials: creds, service: "vclm", signedHeaders: ["X-TC-Action"] },
  );
  return () => asUser(session)("https://app.example/vclm", { method: "POST", headers: { ...headers }, body });
}

describe("no open wallet", () => {
  it("a signed-in user animates through the relay: the way that must keep working", async () => {
    const before = jobs();
    const alice = browser("session-alice");
    const { JobId } = await alice.send(SubmitImageAnimateJob, submit);
    expect((await alice.send(DescribeImageAnimateJob, { JobId })).Status).toBe("WAIT");
    expect(jobs() - before).toBe(1);
  });

  it("an anonymous credentials request: 401, no secret in the answer", async () => {
    const answer = await credentials(new Request("https://app.example/api/credentials", { method: "POST" }));
    expect(answer.status).toBe(401);
    const text = await answer.text();
    expect(text).not.toMatch(/TmpSecretKey|Token|TmpSecretId/);
    expect(JSON.parse(text).error).toMatch(/sign in/);
  });

  it("an anonymous request to the relay: 401, not forwarded", async () => {
    const sent = forwarded.length;
    const answer = await relay(await (await signedSubmit(await issuedTo("session-alice")))());
    expect(answer.status).toBe(401);
    expect(forwarded.length).toBe(sent);
  });

  it("user B through the relay with credentials issued to user A: 403, not forwarded, no job", async () => {
    const [before, sent] = [jobs(), forwarded.length];
    const answer = await relay((await signedSubmit(await issuedTo("session-alice"), "session-bob"))());
    expect(answer.status).toBe(403);
    expect((await answer.json()).error).toMatch(/issued to another user/);
    expect([jobs() - before, forwarded.length - sent]).toEqual([0, 0]);
  });

  it("a stolen credential used straight against the service from another address: UnauthorizedOperation, no job", async () => {
    const stolen = await issuedTo("session-alice");
    const before = jobs();
    const thief = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: stolen, fetch: fetchFrom("127.0.0.3") });
    const error = await thief.send(SubmitImageAnimateJob, submit).catch((e: unknown) => e);
    expect(isServiceError(error, "UnauthorizedOperation")).toBe(true);
    expect(jobs() - before).toBe(0);
    // The same credentials from the relay's address work: the condition, not the credentials, refused the thief.
    const fromRelay = new VclmClient({
      region: "ap-singapore",
      endpoint: emulator.url,
      credentials: stolen,
      fetch: fetchFrom("127.0.0.2"),
    });
    expect((await fromRelay.send(SubmitImageAnimateJob, submit)).JobId).toMatch(/^\d+$/);
  });

  it("an unsigned request and a forged one: 401 and 403, never forwarded", async () => {
    const sent = forwarded.length;
    const unsigned = await relay(
      asUser("session-alice")("https://app.example/vclm", {
        method: "POST",
        headers: { "X-TC-Action": "SubmitImageAnimateJob", "Content-Type": "application/json" },
        body: JSON.stringify(submit),
      }),
    );
    expect(unsigned.status).toBe(401);
    const issued = await issuedTo("session-alice");
    const forged = await relay((await signedSubmit({ ...issued, secretKey: "guessed-secret-key-000000000000000" }, "session-alice"))());
    expect(forged.status).toBe(403);
    expect((await forged.json()).error).toMatch(/signature does not match/);
    // A body changed after signing is a forgery too.
    const genuine = (await signedSubmit(issued, "session-alice"))();
    const tampered = new Request(genuine, { body: JSON.stringify({ ...submit, TemplateId: "tuziwu" }) });
    expect((await relay(tampered)).status).toBe(403);
    expect(forwarded.length).toBe(sent);
  });

  it("a replayed signed Submit: refused, exactly one job", async () => {
    const before = jobs();
    const request = await signedSubmit(await issuedTo("session-bob"), "session-bob");
    expect((await relay(request())).status).toBe(200);
    const replay = await relay(request());
    expect(replay.status).toBe(403);
    expect((await replay.json()).error).toMatch(/already forwarded/);
    expect(jobs() - before).toBe(1);
  });

  it("expired credentials: refused by the relay, not forwarded, no job", async () => {
    const issued = await issuedTo("session-bob");
    const later = createRelay({
      authorize,
      store,
      target: emulator.url,
      signingHost: "127.0.0.1",
      now: () => Date.now() + 16 * 60_000,
      fetch: fetchFrom("127.0.0.2"),
    });
    const [before, sent] = [jobs(), forwarded.length];
    const answer = await later((await signedSubmit(issued, "session-bob"))());
    expect([answer.status, jobs() - before, forwarded.length - sent]).toEqual([403, 0, 0]);
  });

  it("the quota used up: 429 and no job, however the caller rotates X-Forwarded-For", async () => {
    const carol = "session-carol";
    SESSIONS[carol] = "carol";
    const before = jobs();
    const outcomes: (string | number)[] = [];
    for (let i = 0; i < 6; i++) {
      const client = browser(carol, { "X-Forwarded-For": `198.51.100.${i}`, "CF-Connecting-IP": `198.51.100.${i}` });
      outcomes.push(
        await client.send(SubmitImageAnimateJob, submit).then(
          () => 200,
          (error: Error) => error.message.match(/HTTP (\d+)/)?.[1] ?? error.message,
        ),
      );
    }
    expect(outcomes).toEqual([200, 200, 200, "429", "429", "429"]);
    expect(jobs() - before).toBe(3);
  });

  it("credentials cannot be issued unbound by default: no bindTo (or an empty or every-address one) is refused at start", () => {
    const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
    expect(() => createCredentialsHandler({ authorize, sts, store })).toThrow(/needs bindTo.*credentialsWorkFromAnywhere: true/);
    expect(() => createCredentialsHandler({ authorize, sts, store, bindTo: "" })).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => createCredentialsHandler({ authorize, sts, store, bindTo: [] })).toThrow(/needs bindTo/);
    expect(() => createCredentialsHandler({ authorize, sts, store, bindTo: "0.0.0.0/0" })).toThrow(/every address: it binds nothing/);
    expect(() => createCredentialsHandler({ authorize, sts, store, bindTo: "127.0.0.1/32/99" })).toThrow(/more than one/);
    expect(() => createCredentialsHandler({ authorize, sts, store, credentialsWorkFromAnywhere: true })).not.toThrow();
  });

  it("a signed-in user who takes their credentials out of the page and submits straight to the service: refused, no job, quota untouched", async () => {
    SESSIONS["session-mallory"] = "mallory";
    const own = await issuedTo("session-mallory");
    const before = jobs();
    const direct = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: own, fetch: fetchFrom("127.0.0.3") });
    for (let i = 0; i < 5; i++)
      expect(isServiceError(await direct.send(SubmitImageAnimateJob, submit).catch((e) => e), "UnauthorizedOperation")).toBe(true);
    expect(jobs() - before).toBe(0);
    expect(await submitsLeft(store, { id: "mallory" }, 3)).toBe(3);
  });

  it("a user asks after another user's job: refused, not forwarded; the owner is answered", async () => {
    SESSIONS["session-erin"] = "erin";
    SESSIONS["session-frank"] = "frank";
    const erin = browser("session-erin");
    const { JobId } = await erin.send(SubmitImageAnimateJob, submit);
    const sent = forwarded.length;
    const error = await browser("session-frank")
      .send(DescribeImageAnimateJob, { JobId })
      .catch((e: Error) => e);
    expect((error as Error).message).toMatch(/HTTP 403/);
    expect(forwarded.length).toBe(sent);
    expect((await erin.send(DescribeImageAnimateJob, { JobId })).Status).toBe("WAIT");
  });

  it("a store filled by strangers loses nothing: 400 requests from other addresses, unsigned or with made-up keys, leave a used-up quota used up and issued credentials working", async () => {
    const small = memoryStore({ maxEntries: 50 });
    const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
    const issue = createCredentialsHandler({ authorize, sts, store: small, bindTo: "127.0.0.2/32" });
    const smallRelay = createRelay({
      authorize,
      store: small,
      target: emulator.url,
      signingHost: "127.0.0.1",
      submitsPerDay: 1,
      fetch: fetchFrom("127.0.0.2"),
    });
    SESSIONS["session-grace"] = "grace";
    const answer = await issue(asUser("session-grace")("https://app.example/api/credentials", { method: "POST" }));
    const { Credentials } = (await answer.json()) as { Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string } };
    const grace = { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey, token: Credentials.Token };
    expect((await smallRelay((await signedSubmit(grace, "session-grace"))())).status).toBe(200); // the quota of 1, used
    for (let i = 0; i < 400; i++) {
      SESSIONS[`session-stranger-${i}`] = `stranger-${i}`;
      const made = { secretId: `AKIDmadeup${i}`, secretKey: "made-up-key-00000000000000000000" };
      const status = (await smallRelay((await signedSubmit(made, i % 2 ? `session-stranger-${i}` : undefined))())).status;
      expect([401, 403]).toContain(status);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a new second, a new signature
    const again = await smallRelay((await signedSubmit(grace, "session-grace"))());
    expect(again.status).toBe(429); // still used up: not reset by the flood, and her credentials still known
  });

  it("credentials are rate-limited per user: the seventh in a minute gets 429 and no secret", async () => {
    SESSIONS["session-heidi"] = "heidi";
    const statuses = [];
    let last = "";
    for (let i = 0; i < 7; i++) {
      const answer = await credentials(asUser("session-heidi")("https://app.example/api/credentials", { method: "POST" }));
      statuses.push(answer.status);
      last = await answer.text();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(last).not.toMatch(/TmpSecretKey|Token/);
    // Another user is not held back by heidi's limit.
    SESSIONS["session-ivan"] = "ivan";
    expect((await credentials(asUser("session-ivan")("https://app.example/api/credentials", { method: "POST" }))).status).toBe(200);
  });

  it("dies between STS's answer and recording the SecretId: the credentials it minted are refused by the relay, no job", async () => {
    // The store fails on the write that follows STS's answer, as a process killed there would never make it.
    const failing: RelayStore = {
      ...store,
      claim: async (key, ...rest) => (key.startsWith("secret:") ? Promise.reject(new Error("killed")) : store.claim(key, ...rest)),
    };
    const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: BACKEND });
    const dying = createCredentialsHandler({ authorize, sts, store: failing, bindTo: "127.0.0.2/32" });
    await expect(dying(asUser("session-bob")("https://app.example/api/credentials", { method: "POST" }))).rejects.toThrow("killed");
    // The credentials STS did mint (as if read off the wire) are not known to the relay.
    const minted = [...(emulator.emulator.snapshot().temporary ?? [])].at(-1) as { secretId: string; secretKey: string; token: string };
    const [before, sent] = [jobs(), forwarded.length];
    const answer = await relay((await signedSubmit(minted, "session-bob"))());
    expect(answer.status).toBe(403);
    expect([jobs() - before, forwarded.length - sent]).toEqual([0, 0]);
  });

  it("dies between claiming a Submit and forwarding it: no job, one unit of quota spent, and a freshly signed Submit goes through", async () => {
    SESSIONS["session-judy"] = "judy";
    let killed = true;
    const dying = createRelay({
      authorize,
      store,
      target: emulator.url,
      signingHost: "127.0.0.1",
      submitsPerDay: 2,
      fetch: async (input, init) => {
        if (killed) throw new Error("killed before the forward");
        return fetchFrom("127.0.0.2")(input, init);
      },
    });
    const issued = await issuedTo("session-judy");
    const before = jobs();
    const first = await signedSubmit(issued, "session-judy");
    await expect(dying(first())).rejects.toThrow("killed");
    expect(jobs() - before).toBe(0);
    killed = false;
    expect((await dying(first())).status).toBe(403); // its signature was claimed: never sent twice
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a new second, a new signature
    expect((await dying((await signedSubmit(issued, "session-judy"))())).status).toBe(200);
    expect(jobs() - before).toBe(1);
    // Two units used (the lost one and this one): the quota of 2 is spent.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await dying((await signedSubmit(issued, "session-judy"))())).status).toBe(429);
  });
});
