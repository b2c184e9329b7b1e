import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VclmClient } from "./client.js";
import { VclmCredentialsError } from "./errors/credentials-error.js";
import { VclmValidationError } from "./errors/validation-error.js";
import { DescribeImageAnimateJob } from "./operations/describe-image-animate-job.js";

const credentials = { secretId: "AKID", secretKey: "k" };

describe("new VclmClient", () => {
  it("sends to the service by default and signs for the endpoint's host", () => {
    const { state } = new VclmClient({ region: "ap-singapore", credentials });
    expect(state).toMatchObject({
      endpoint: "https://vclm.intl.tencentcloudapi.com/",
      signingHost: "vclm.intl.tencentcloudapi.com",
      requestClient: "vclm-js",
    });
  });

  it("signs for another host when the endpoint is a relay", () => {
    const { state } = new VclmClient({
      region: "ap-singapore",
      credentials,
      endpoint: "https://app.example/vclm",
      signingHost: "vclm.intl.tencentcloudapi.com",
    });
    expect(state).toMatchObject({ endpoint: "https://app.example/vclm", signingHost: "vclm.intl.tencentcloudapi.com" });
  });

  it.each([
    ["no region", {}, "region"],
    ["a region that is not one", { region: "Singapore" }, "region"],
    ["a relative endpoint", { region: "ap-singapore", endpoint: "/vclm" }, "endpoint"],
    ["a non-HTTP endpoint", { region: "ap-singapore", endpoint: "ftp://x/" }, "endpoint"],
    ["a signing host with a scheme", { region: "ap-singapore", signingHost: "https://vclm.intl.tencentcloudapi.com" }, "signingHost"],
    ["a negative timeout", { region: "ap-singapore", timeout: -1 }, "timeout"],
    ["an unknown language", { region: "ap-singapore", language: "fr-FR" }, "language"],
    ["a request client with spaces", { region: "ap-singapore", requestClient: "my app" }, "requestClient"],
  ])("rejects %s, naming the option", (_, options, path) => {
    const error = (() => {
      try {
        new VclmClient({ credentials, ...options } as never);
      } catch (e) {
        return e as VclmValidationError;
      }
    })();
    expect(error).toBeInstanceOf(VclmValidationError);
    expect(error?.issues.map((i) => i.path)).toContain(path);
  });

  it("without credentials, looks through the official chain at the first call and names each source it tried, sending nothing", async () => {
    const saved = { ...process.env };
    const home = mkdtempSync(join(tmpdir(), "vclm-home-"));
    for (const name of ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TKE_REGION", "TKE_PROVIDER_ID", "TKE_ROLE_ARN"])
      delete process.env[name];
    process.env.HOME = home;
    process.env.VCLM_METADATA_ENDPOINT = "http://127.0.0.1:9/latest/meta-data/"; // the discard port: nothing listens
    let sent = 0;
    try {
      const client = new VclmClient({ region: "ap-singapore", fetch: async () => new Response(String(sent++)) });
      const error = await client.send(DescribeImageAnimateJob, { JobId: "1" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VclmCredentialsError);
      expect((error as VclmCredentialsError).tried.map((t) => t.source)).toEqual([
        "environment",
        "profile file",
        "CVM instance role",
        "TKE web identity",
      ]);
      expect((error as Error).message).toContain("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set");
      expect((error as Error).message).toContain(`${home}/.tencentcloud/credentials`);
      expect(sent).toBe(0);
    } finally {
      process.env = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("applies plugins in order and returns itself", () => {
    const order: string[] = [];
    const client = new VclmClient({ region: "ap-singapore", credentials });
    expect(client.use(() => order.push("a")).use(() => order.push("b"))).toBe(client);
    expect(order).toEqual(["a", "b"]);
  });
});

describe("new VclmClient, defects", () => {
  const errorOf = (options: object) => {
    try {
      new VclmClient({ region: "ap-singapore", credentials, ...options } as never);
    } catch (error) {
      return error as VclmValidationError;
    }
    throw new Error("accepted");
  };

  it("names a misspelt option and the option it is closest to", () => {
    const error = errorOf({ timout: 5 });
    expect(error.issues).toEqual([{ path: "timout", message: "unknown option timout (did you mean timeout?)" }]);
    expect(error.message).toContain("unknown option timout (did you mean timeout?)");
    expect(errorOf({ Region: "x" }).message).toContain("did you mean region?");
    expect(errorOf({ colour: "red" }).message).toMatch(/unknown option colour(?! \()/);
  });

  it("takes a same-origin path as the endpoint in a browser, and signs for the service's host", () => {
    const globals = globalThis as { location?: unknown };
    globals.location = new URL("https://app.example/page");
    try {
      const { state } = new VclmClient({ region: "ap-singapore", credentials, endpoint: "/vclm-relay" });
      expect(state).toMatchObject({ endpoint: "https://app.example/vclm-relay", signingHost: "vclm.intl.tencentcloudapi.com" });
    } finally {
      delete globals.location;
    }
  });

  it("outside a browser, says a path endpoint needs a page", () => {
    expect(errorOf({ endpoint: "/vclm-relay" }).message).toMatch(/absolute http\(s\) URL, or in a browser a path/);
  });
});
