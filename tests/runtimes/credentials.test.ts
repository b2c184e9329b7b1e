import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { runtimes } from "./src/runners.js";

const probe = fileURLToPath(new URL("./probes/credentials.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "vclm-probe-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profileFile = join(dir, "credentials");
writeFileSync(
  profileFile,
  `[default]\nsecret_id = nope\nsecret_key = nope\n[probe]\nsecret_id = ${DEMO_ACCOUNT.secretId}\nsecret_key = ${DEMO_ACCOUNT.secretKey}\n`,
);

// An OIDC issuer's key and a token it signed, made here with jose; the emulator in each runtime verifies it.
const issuer = "https://oidc.probe.example.test";
const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: "probe", alg: "ES256" }] };
const token = await new SignJWT({})
  .setProtectedHeader({ alg: "ES256", kid: "probe" })
  .setIssuer(issuer)
  .setAudience("sts.cloud.tencent.com")
  .setSubject("probe")
  .setIssuedAt()
  .setExpirationTime("1h")
  .sign(privateKey);

describe.each(runtimes)("credentials in $name", ({ name, run }) => {
  it("AssumeRole, web identity and the CVM role in every runtime; a profile file where there are files; the client's default by runtime", async () => {
    const server = !["workerd", "chromium"].includes(name);
    expect(await run(probe, { keys, token, issuer, profileFile })).toEqual({
      assumeRole: ["DONE", "AssumeRole"],
      webIdentity: ["DONE", "AssumeRoleWithWebIdentity"],
      cvmRole: ["DONE", "instance role"],
      profile: server ? "DONE" : "VclmValidationError",
      tokenFile: server ? "ok" : "VclmValidationError",
      clientWithoutCredentials: server ? "ok" : "VclmValidationError",
    });
  });
});
