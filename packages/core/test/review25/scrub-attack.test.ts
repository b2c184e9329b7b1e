// Review of issue 25: the scrubber (src/observe/scrub.ts) attacked through a real path. A client
// watched by `observe`, whose fetch (a corporate proxy's, say) fails with words that carry a
// secret: VclmNetworkError puts the cause's message in its own, and `observe` logs and traces it
// (scrubbed). Each secret below is one the project says never leaves.
import { DescribeImageAnimateJob, observe, VclmClient } from "@vclm/core";
import { GetFederationToken } from "@vclm/core/sts";
import { type RunningEmulator, startEmulator } from "@vclm/emulator/node";
import { recordingLogger, recordingTracer } from "@vclm/tools/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ACCOUNT = { secretId: "AKIDreviewScrub000000000000000000", secretKey: "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA" }; // a SecretKey's shape: 32 characters
let emulator: RunningEmulator;
let token: string;
let tmpSecretKey: string;

beforeAll(async () => {
  emulator = await startEmulator({ accounts: [ACCOUNT] });
  const sts = new VclmClient({ region: "ap-singapore", endpoint: emulator.url, credentials: ACCOUNT });
  const { Credentials } = await sts.send(GetFederationToken, {
    Name: "review",
    Policy: '{"version":"2.0","statement":[{"effect":"allow","action":"vclm:*","resource":"*"}]}',
  });
  token = Credentials.Token;
  tmpSecretKey = Credentials.TmpSecretKey;
});
afterAll(() => emulator.close());

const hex = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** What a span and a log line got when the client's fetch failed with `words`. */
async function recorded(words: string) {
  const { tracer, spans } = recordingTracer();
  const { logger, lines } = recordingLogger();
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: emulator.url,
    credentials: ACCOUNT,
    fetch: async () => {
      throw new TypeError("fetch failed", { cause: new Error(words) });
    },
  }).use(observe({ tracer, logger }));
  await expect(client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" })).rejects.toThrow();
  return JSON.stringify([spans, lines]);
}

describe("review 25: the scrubber, attacked", () => {
  it("takes out each secret from an error's message before a span or a log line has it", async () => {
    const signature = await hex("a TC3 signature is 64 hex digits");
    const cosSignature = (await hex("q-signature")).slice(0, 40);
    const secrets = {
      // The STS token the emulator issues (small letters and digits: no capital, so not a "blob").
      "the X-TC-Token": `proxy refused the request with header X-TC-Token: ${token}`,
      "the TmpSecretKey": `credentials cache dump: TmpSecretKey ${tmpSecretKey}`,
      "a 32-character SecretKey": `signing with SecretKey ${ACCOUNT.secretKey} failed`,
      "a bare TC3 signature (hex)": `the proxy saw signature ${signature} twice`,
      "a presigned COS URL without its scheme": `could not fetch examplebucket-1250000000.cos.ap-singapore.myqcloud.com/dancer.jpg?q-sign-algorithm=sha1&q-signature=${cosSignature}`,
      "a proxy URL's password": "tunnel through http://alice:hunter2-Pa55word@proxy.corp.example:3128 failed",
      "a base64 token, percent-encoded": `GET /x?token=${encodeURIComponent("kTRtHpOS+OCYECb4Z/UtOi1XxQXQ2SB3+xF9d3b4bJsbGCnSM5/gw6hUBxAE1bVdpXW+3hVmPFM1jfM3y1rwQh3HLrd0tQ/vaiEX7mGg3jvaoEe0n6BFSk")}`,
    };
    const leaked: Record<string, string> = {};
    for (const [what, words] of Object.entries(secrets)) {
      const secret =
        {
          "the X-TC-Token": token,
          "the TmpSecretKey": tmpSecretKey,
          "a 32-character SecretKey": ACCOUNT.secretKey,
          "a bare TC3 signature (hex)": signature,
          "a presigned COS URL without its scheme": cosSignature,
          "a proxy URL's password": "hunter2-Pa55word",
          "a base64 token, percent-encoded": "vaiEX7mGg3jvaoEe0n6BFSk",
        }[what] ?? "";
      if ((await recorded(words)).includes(secret)) leaked[what] = secret;
    }
    expect(leaked).toEqual({});
  });
});
