// The credential providers in this runtime, against the emulator in-process: AssumeRole and
// AssumeRoleWithWebIdentity (the emulator verifying the token with jose, here), the metadata
// service, and a profile file where the runtime has files. And which default a client gets.
import { DescribeImageAnimateJob, fromAssumeRole, fromCvmRole, fromProfile, fromWebIdentity, VclmClient } from "@vclm/core";
import { DEMO_ACCOUNT } from "@vclm/emulator";
import { inProcess } from "./in-process.js";

export default async function probe({ keys, token, issuer, profileFile }) {
  const { emulator, fetch } = inProcess({
    clock: "manual",
    oidcProviders: [
      {
        providerId: "tke-oidc",
        issuer,
        keys,
        audience: "sts.cloud.tencent.com",
        roles: [{ roleName: "probe", policy: { version: "2.0", statement: [{ effect: "allow", action: ["vclm:*"], resource: "*" }] } }],
      },
    ],
    instanceRole: { roleName: "vclm-probe" },
    allowedHosts: ["vclm.emulator.test"], // the made-up host the metadata service is reached at here
  });
  emulator.clock.set(Date.now());
  const JobId = emulator.jobs.create({
    accountId: DEMO_ACCOUNT.accountId,
    createdAt: Date.now() - 60_000, // done by now
    waitMs: 1,
    runMs: 1,
    templateId: "ke3",
    photo: "p",
    segment: false,
  }).id;
  const endpoint = "http://vclm.emulator.test/";
  const roleArn = `qcs::cam::uin/${DEMO_ACCOUNT.accountId}:roleName/probe`;
  const describe = (credentials) =>
    new VclmClient({ region: "ap-singapore", endpoint, credentials, fetch }).send(DescribeImageAnimateJob, { JobId }).then(
      (answer) => answer.Status,
      (error) => `${error.name}: ${error.message}`,
    );
  const issuedBy = async (provider) => {
    const { secretId } = await provider();
    return emulator.snapshot().temporary.find((c) => c.secretId === secretId)?.issuedBy;
  };
  const named = (promise) =>
    Promise.resolve(promise).then(
      () => "ok",
      (error) => error.name,
    );
  const source = { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey };
  const assumed = fromAssumeRole({ credentials: source, roleArn, endpoint, fetch });
  const identity = fromWebIdentity({ token, providerId: "tke-oidc", roleArn, endpoint, fetch, env: {} });
  const cvm = fromCvmRole({ endpoint: `${endpoint}latest/meta-data/`, fetch });
  const profile = fromProfile({ file: profileFile, profile: "probe" });
  return {
    assumeRole: [await describe(assumed), await issuedBy(assumed)],
    webIdentity: [await describe(identity), await issuedBy(identity)],
    cvmRole: [await describe(cvm), await issuedBy(cvm)],
    profile: await describe(profile).then((status) => (status === "DONE" ? status : status.split(":")[0])),
    tokenFile: await named(Promise.resolve().then(() => fromWebIdentity({ tokenFile: profileFile, providerId: "p", roleArn }))),
    // Servers get the official chain (found at the first call); Workers and browsers fromEnv, which needs its env object.
    clientWithoutCredentials: await named(Promise.resolve().then(() => new VclmClient({ region: "ap-singapore" }))),
  };
}
