// The browser app's backend: serves the page, hands out temporary credentials (STS
// GetFederationToken, limited to the two VCLM actions) and relays the page's signed requests.
// Its own permanent key never leaves it. `node server.js --emulator` runs it against an embedded
// emulator, with no account.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { VclmClient } from "@vclm/core";
import { createRelay } from "@vclm/relay";
import { build } from "esbuild";
import { GetFederationToken, VCLM_ONLY_POLICY } from "./dist/sts.js";

/**
 * @param {{ vclmEndpoint?: string, stsEndpoint?: string, signingHost?: string, credentials: { secretId: string, secretKey: string },
 *           tokenSeconds?: number, refreshBeforeMs?: number, port?: number }} options
 */
export async function startApp({
  vclmEndpoint,
  stsEndpoint,
  signingHost,
  credentials,
  tokenSeconds = 1800,
  refreshBeforeMs = 300_000,
  port = 0,
}) {
  const page = (
    await build({
      entryPoints: [new URL("./src/page.ts", import.meta.url).pathname],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      minify: true,
    })
  ).outputFiles[0].text;
  const html = readFileSync(new URL("./public/index.html", import.meta.url));
  const sts = new VclmClient({ region: "ap-singapore", credentials, ...(stsEndpoint && { endpoint: stsEndpoint }) });
  const relay = createRelay({ ...(vclmEndpoint && { target: vclmEndpoint }) });
  let credentialsIssued = 0;

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname === "/api/config")
        return send(
          response,
          200,
          "application/json",
          JSON.stringify({ signingHost: signingHost ?? "vclm.intl.tencentcloudapi.com", refreshBeforeMs }),
        );
      if (url.pathname === "/api/credentials" && request.method === "POST") {
        credentialsIssued++;
        const answer = await sts.send(GetFederationToken, {
          Name: "vclm-browser",
          Policy: VCLM_ONLY_POLICY,
          DurationSeconds: tokenSeconds,
        });
        return send(
          response,
          200,
          "application/json",
          JSON.stringify({ Credentials: answer.Credentials, ExpiredTime: answer.ExpiredTime }),
        );
      }
      if (url.pathname === "/vclm") {
        // The body streams into the relay, which stops reading at its cap: nothing is buffered here.
        const answer = await relay(
          new Request(url, {
            method: request.method,
            headers: request.headers,
            body: request.method === "POST" ? Readable.toWeb(request) : undefined,
            duplex: "half",
          }),
          { remoteAddress: request.socket.remoteAddress },
        );
        return send(
          response,
          answer.status,
          answer.headers.get("content-type"),
          Buffer.from(await answer.arrayBuffer()),
          answer.headers.get("date"),
        );
      }
      if (url.pathname === "/page.js") return send(response, 200, "text/javascript", page);
      if (url.pathname === "/") return send(response, 200, "text/html", html);
      send(response, 404, "text/plain", "not found");
    } catch (error) {
      send(response, 502, "text/plain", String(error.message));
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    credentialsIssued: () => credentialsIssued,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function send(response, status, type, body, date) {
  response.writeHead(status, {
    "Content-Type": type ?? "application/octet-stream",
    "Cache-Control": "no-store",
    ...(date && { Date: date }),
  });
  response.end(body);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options;
  if (process.argv.includes("--emulator")) {
    const { startEmulator, DEMO_ACCOUNT } = await import("@vclm/emulator/node");
    const emulator = await startEmulator({ schedule: { waitMs: 2_000, runMs: 6_000 } });
    options = { vclmEndpoint: emulator.url, stsEndpoint: emulator.url, signingHost: "127.0.0.1", credentials: DEMO_ACCOUNT };
  } else {
    const { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey } = process.env;
    if (!secretId || !secretKey) throw new Error("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run with --emulator");
    options = { credentials: { secretId, secretKey }, stsEndpoint: "https://sts.intl.tencentcloudapi.com/" };
  }
  const app = await startApp({ ...options, port: Number(process.env.PORT ?? 5173) });
  console.log(`Open ${app.url}`);
}
