#!/usr/bin/env node
// vclm-emulator: a local VCLM service on this machine. `vclm-emulator --help` lists the options.
import { parseArgs } from "node:util";
import { DEMO_ACCOUNT, startEmulator } from "../dist/node.js";

const usage = `Usage: vclm-emulator [options]

A local Tencent Cloud VCLM image-animation service: real signatures, jobs, videos, STS.

Options:
  --port <n>              port to listen on (default 8080; 0 for any free port)
  --host <address>        address to listen on (default 127.0.0.1)
  --data-dir <dir>        keep jobs and temporary credentials here across restarts
  --account <id:key>      accept this SecretId:SecretKey (repeatable; default: the demo account)
  --wait-ms <n>           how long a job waits before it runs (default 3000)
  --run-ms <n>            how long a job runs (default 12000)
  --max-jobs-running <n>  jobs one account may have waiting or running (default 10)
  --rps <n>               requests per second per account and action (default 20)
  --cors                  answer browsers' cross-origin requests (the real service does not)
  --fetch-image-urls      download ImageUrl photos and check them, and make their videos from them
  --image-url-timeout-ms <n>
                          how long such a download may take (default 10000); at most 10 MB is read
  --instance-role <name>  serve the CVM metadata service's credentials for this role under
                          /latest/meta-data/ (point VCLM_METADATA_ENDPOINT there)
  --no-admin              turn off the admin API under /_emulator/ (clock, faults, job list);
                          do so whenever --host makes the emulator reachable from other machines
  --allowed-host <name>   also answer the admin API and the metadata routes for requests to this
                          host name (repeatable; loopback names and addresses always are): against
                          DNS rebinding, any other Host is refused
  --help                  show this
`;

function fail(message) {
  console.error(`vclm-emulator: ${message}\n\n${usage}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowNegative: true,
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      "data-dir": { type: "string" },
      account: { type: "string", multiple: true },
      "wait-ms": { type: "string" },
      "run-ms": { type: "string" },
      "max-jobs-running": { type: "string" },
      rps: { type: "string" },
      cors: { type: "boolean", default: false },
      "fetch-image-urls": { type: "boolean", default: false },
      "image-url-timeout-ms": { type: "string" },
      "instance-role": { type: "string" },
      admin: { type: "boolean", default: true },
      "allowed-host": { type: "string", multiple: true },
      help: { type: "boolean", default: false },
    },
  }).values;
} catch (error) {
  fail(error.message);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const number = (name) => {
  if (args[name] === undefined) return undefined;
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) fail(`--${name} must be a whole number, not "${args[name]}"`);
  return value;
};
const accounts = (args.account ?? []).map((pair) => {
  const at = pair.indexOf(":");
  if (at < 1 || at === pair.length - 1) fail(`--account takes SecretId:SecretKey, not "${pair}"`);
  return { secretId: pair.slice(0, at), secretKey: pair.slice(at + 1) };
});

const running = await startEmulator({
  port: number("port"),
  host: args.host,
  dataDir: args["data-dir"],
  ...(accounts.length && { accounts }),
  schedule: { waitMs: number("wait-ms"), runMs: number("run-ms") },
  limits: { concurrentJobs: number("max-jobs-running"), requestsPerSecond: number("rps") },
  cors: args.cors,
  fetchImageUrls: args["fetch-image-urls"],
  imageUrlTimeoutMs: number("image-url-timeout-ms"),
  ...(args["instance-role"] && { instanceRole: { roleName: args["instance-role"] } }),
  admin: args.admin,
  ...(args["allowed-host"] && { allowedHosts: args["allowed-host"] }),
}).catch((error) => fail(error.code === "EADDRINUSE" ? `port ${args.port} is in use: pick another with --port` : error.message));

console.log(`VCLM emulator listening on ${running.url}`);
// What to paste into another shell: vclm's animate() and CLI read VCLM_ENDPOINT, so the code stays as it is.
const local = running.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=[:/])/, "//127.0.0.1");
console.log(`Send vclm (animate(), the CLI) here by setting, in the shell that runs it:\n  export VCLM_ENDPOINT=${local}`);
if (!accounts.length) {
  console.log(
    `and the demo credentials (emulator only):\n  export TENCENTCLOUD_SECRET_ID=${DEMO_ACCOUNT.secretId}\n  export TENCENTCLOUD_SECRET_KEY=${DEMO_ACCOUNT.secretKey}`,
  );
}
if (args["instance-role"]) {
  // Listening on every address: the metadata routes answer loopback names, so this machine's is the one to use.
  console.log(`CVM metadata service (role ${args["instance-role"]}):\n  VCLM_METADATA_ENDPOINT=${local}latest/meta-data/`);
}
const stop = () => running.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
