// The relay's stores under concurrent requests: memoryStore in this process, and @vclm/workers' RelayStoreObject,
// a real Durable Object in workerd (through miniflare), reached through durableObjectStore as every
// instance of a Worker reaches it. The same checks run on both; then a relay on the Durable Object
// takes 150 Submits of one user at once, with a daily quota of 20.
import { fileURLToPath } from "node:url";
import { memoryStore, type RelayStore } from "@vclm/relay";
import { sign } from "@vclm/signer";
import { relayStoreChecks } from "@vclm/tools/relay-store-checks";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/relay-store-object.js", import.meta.url));
let mf: Miniflare;
beforeAll(async () => {
  // As wrangler bundles a Worker: the workerd and worker conditions first.
  const script = await bundle(`export * from ${JSON.stringify(probe)}; export { default } from ${JSON.stringify(probe)};`, [
    "workerd",
    "worker",
    "browser",
  ]);
  mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01", cf: false, durableObjects: { STORE: "RelayStoreObject" } });
}, 60_000);
afterAll(() => mf?.dispose());

/** The Durable Object's store, one HTTP request to the Worker per operation. */
const objectStore = (): RelayStore => {
  const call = async (op: string, ...args: unknown[]) =>
    (
      (await (await mf.dispatchFetch("http://worker/op", { method: "POST", body: JSON.stringify({ op, args }) })).json()) as {
        result: unknown;
      }
    ).result;
  return {
    take: async (...args) => (await call("take", ...args)) as boolean,
    giveBack: async (...args) => void (await call("giveBack", ...args)),
    count: async (...args) => (await call("count", ...args)) as number,
    claim: async (...args) => (await call("claim", ...args)) as boolean,
    get: async (...args) => ((await call("get", ...args)) as string | null) ?? undefined,
  };
};

const DAY = 86_400_000;
describe.each([
  ["memoryStore", () => memoryStore()],
  ["a Durable Object (RelayStoreObject in workerd)", objectStore],
])("%s", (_, make) => {
  relayStoreChecks(make, { it, expect });
});

describe("a relay on a Durable Object store", () => {
  const SECRET = { secretId: "AKIDstoreTest0000", secretKey: "store-test-secret-key" };

  const signedSubmit = async (user: string, i: number, answer?: string) => {
    const body = JSON.stringify({ TemplateId: "ke3", ImageUrl: `https://example.com/${i}.jpg` });
    const headers = await sign(
      {
        host: "vclm.intl.tencentcloudapi.com",
        headers: { "X-TC-Action": "SubmitImageAnimateJob", "X-TC-Version": "2024-05-23", "X-TC-Region": "ap-singapore" },
        body,
      },
      { credentials: SECRET, service: "vclm", signedHeaders: ["X-TC-Action"] },
    );
    return { method: "POST", headers: { ...headers, "x-user": user, ...(answer && { "x-answer": answer }) }, body };
  };
  const issue = (user: string) =>
    objectStore().claim(`secret:${SECRET.secretId}`, JSON.stringify({ user, secretKey: SECRET.secretKey }), Date.now() + DAY, Date.now());

  it("150 concurrent Submits of one user with a quota of 20: 20 forwarded, 130 refused with 429", async () => {
    await issue("dora");
    const before = ((await (await mf.dispatchFetch("http://worker/forwarded")).json()) as { forwarded: number }).forwarded;
    const requests = await Promise.all(Array.from({ length: 150 }, (_, i) => signedSubmit("dora", i)));
    const statuses = await Promise.all(requests.map(async (init) => (await mf.dispatchFetch("http://worker/relay?quota=20", init)).status));
    const after = ((await (await mf.dispatchFetch("http://worker/forwarded")).json()) as { forwarded: number }).forwarded;
    expect(after - before).toBe(20);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(130);
  });
});
