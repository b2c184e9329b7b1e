// The scrubber attacked through a real path (from the issue-25 review): a client watched by
// `observe`, whose fetch (a corporate proxy's, say) fails with words that carry a secret:
// VclmNetworkError puts the cause's message in its own, and `observe` logs and traces it, scrubbed.
// Each secret below has the shape of one the project says never leaves (the token and TmpSecretKey
// are the emulator's, as its STS issues them).
import { recordingLogger, recordingTracer } from "@vclm/tools/recording";
import { describe, expect, it } from "vitest";
import { VclmClient } from "../client.js";
import { DescribeImageAnimateJob } from "../operations/operations.js";
import { observe } from "./observe.js";

const ACCOUNT = { secretId: "AKIDreviewScrub000000000000000000", secretKey: "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA" }; // a SecretKey's shape: 32 characters
const TOKEN = "1p4o3y283q6h3e6h2q64271v6n151u436p3r1411411z3s320p2f2l0t2x30175d5r062e1m001j1g3s0r332m73531u084w";
const TMP_SECRET_KEY = "4h5u250r6t1q4s3j4v4j2k4u6r453w0r";

const hex = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** The spans and log lines recorded when the client's fetch failed with `words`. */
async function recorded(words: string) {
  const { tracer, spans } = recordingTracer();
  const { logger, lines } = recordingLogger();
  const client = new VclmClient({
    region: "ap-singapore",
    endpoint: "http://127.0.0.1:9/",
    credentials: ACCOUNT,
    fetch: async () => {
      throw new TypeError("fetch failed", { cause: new Error(words) });
    },
  }).use(observe({ tracer, logger }));
  await expect(client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" })).rejects.toThrow();
  return { spans, lines, text: JSON.stringify([spans, lines]) };
}

describe("the scrubber, attacked", () => {
  it("takes out each secret from an error's message before a span or a log line has it", async () => {
    const signature = await hex("a TC3 signature is 64 hex digits");
    const cosSignature = (await hex("q-signature")).slice(0, 40);
    const percentEncoded = "vaiEX7mGg3jvaoEe0n6BFSk";
    const cases: [string, string, string][] = [
      ["the X-TC-Token", `proxy refused the request with header X-TC-Token: ${TOKEN}`, TOKEN],
      ["the TmpSecretKey", `credentials cache dump: TmpSecretKey ${TMP_SECRET_KEY}`, TMP_SECRET_KEY],
      ["a 32-character SecretKey", `signing with SecretKey ${ACCOUNT.secretKey} failed`, ACCOUNT.secretKey],
      ["a bare TC3 signature (hex)", `the proxy saw signature ${signature} twice`, signature],
      [
        "a presigned COS URL without its scheme",
        `could not fetch examplebucket-1250000000.cos.ap-singapore.myqcloud.com/dancer.jpg?q-sign-algorithm=sha1&q-signature=${cosSignature}`,
        cosSignature,
      ],
      ["a proxy URL's password", "tunnel through http://alice:hunter2-Pa55word@proxy.corp.example:3128 failed", "hunter2-Pa55word"],
      [
        "a base64 token, percent-encoded",
        `GET /x?token=${encodeURIComponent(`kTRtHpOS+OCYECb4Z/UtOi1XxQXQ2SB3+xF9d3b4bJsbGCnSM5/gw6hUBxAE1bVdpXW+3hVmPFM1jfM3y1rwQh3HLrd0tQ/${percentEncoded}`)}`,
        percentEncoded,
      ],
    ];
    const leaked: string[] = [];
    for (const [what, words, secret] of cases) if ((await recorded(words)).text.includes(secret)) leaked.push(what);
    expect(leaked).toEqual([]);
  });

  it("bounds and escapes what a caller controls: no forged log line, no 500 KB attribute", async () => {
    const { spans, lines } = await recorded(`job 1\n{"level":"info","msg":"all fine"} ${"9".repeat(500_000)}`);
    const texts = [lines[0]?.msg, lines[0]?.error, spans[0]?.error?.message].map(String);
    expect(texts.some((text) => text.includes('job 1\\n{"level"'))).toBe(true); // shown, escaped
    for (const text of texts) {
      expect(text).not.toContain("\n");
      expect(text.length).toBeLessThanOrEqual(1_001);
    }
  });
});
