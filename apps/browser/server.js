// The browser app's backend: serves the page, signs users in (a session cookie: a stand-in for
// your app's own sign-in, which is what authorize() asks), hands signed-in users temporary
// credentials (STS GetFederationToken: the two VCLM actions only, short-lived, optionally bound to
// the relay's address) and relays their signed requests within a daily quota. Its own permanent key
// never leaves it. `node server.js --emulator` runs it against an embedded emulator, with no account.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { VclmClient } from "@vclm/core";
import { createCredentialsHandler, createRelay, memoryStore, submitsLeft } from "@vclm/relay";
import { build } from "esbuild";

const SESSION = "vclm_session";

/**
 * @param {{ vclmEndpoint?: string, stsEndpoint?: string, signingHost?: string, credentials: { secretId: string, secretKey: string },
 *           tokenSeconds?: number, refreshBeforeMs?: number, port?: number, submitsPerDay?: number, bindCredentialsTo?: string }} options
 */
export async function startApp({
  vclmEndpoint,
  stsEndpoint,
  signingHost,
  credentials,
  tokenSeconds = 900,
  refreshBeforeMs = 300_000,
  port = 0,
  submitsPerDay = 5,
  bindCredentialsTo,
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

  // Sessions: a random id in an HttpOnly, SameSite=Strict cookie, so another site cannot ride it.
  const sessions = new Map();
  const authorize = (request) => {
    const id = /(?:^|;\s*)vclm_session=([\w-]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
    const name = id && sessions.get(id);
    return name ? { id: name } : undefined;
  };
  const store = memoryStore();
  const issue = createCredentialsHandler({ authorize, sts, store, durationSeconds: tokenSeconds, bindTo: bindCredentialsTo });
  let credentialsIssued = 0;
  const relay = createRelay({
    authorize,
    store,
    submitsPerDay,
    ...(vclmEndpoint && { target: vclmEndpoint }),
    ...(signingHost && { signingHost }),
  });

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://localhost");
      const info = { remoteAddress: request.socket.remoteAddress };
      // The body streams into the handlers, which stop reading at their caps: nothing is buffered here.
      const web = new Request(url, {
        method: request.method,
        headers: request.headers,
        body: request.method === "POST" ? Readable.toWeb(request) : undefined,
        duplex: "half",
      });
      if (url.pathname === "/api/config")
        return send(
          response,
          200,
          "application/json",
          JSON.stringify({ signingHost: signingHost ?? "vclm.intl.tencentcloudapi.com", refreshBeforeMs }),
        );
      if (url.pathname === "/api/login" && request.method === "POST") {
        const { name } = await web.json().catch(() => ({}));
        if (typeof name !== "string" || !/^[\w .-]{1,32}$/.test(name))
          return send(response, 400, "application/json", '{"error":"a name of 1 to 32 letters"}');
        const id = crypto.randomUUID();
        sessions.set(id, name);
        response.setHeader("Set-Cookie", `${SESSION}=${id}; HttpOnly; SameSite=Strict; Path=/`);
        return send(response, 200, "application/json", JSON.stringify({ user: name }));
      }
      if (url.pathname === "/api/me") {
        const user = await authorize(web);
        if (!user) return send(response, 401, "application/json", '{"error":"not signed in"}');
        return send(
          response,
          200,
          "application/json",
          JSON.stringify({ user: user.id, submitsLeft: await submitsLeft(store, user, submitsPerDay), submitsPerDay }),
        );
      }
      if (url.pathname === "/api/credentials") {
        const answer = await issue(web, info);
        if (answer.ok) credentialsIssued++;
        return relayBack(response, answer);
      }
      if (url.pathname === "/vclm") return relayBack(response, await relay(web, info));
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

async function relayBack(response, answer) {
  send(response, answer.status, answer.headers.get("content-type"), Buffer.from(await answer.arrayBuffer()), answer.headers.get("date"));
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
    // Credentials bound to this server's address: taken elsewhere, they are refused (qcs:ip).
    options = {
      vclmEndpoint: emulator.url,
      stsEndpoint: emulator.url,
      signingHost: "127.0.0.1",
      credentials: DEMO_ACCOUNT,
      bindCredentialsTo: "127.0.0.1/32",
    };
  } else {
    const { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey } = process.env;
    if (!secretId || !secretKey) throw new Error("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run with --emulator");
    // BIND_CREDENTIALS_TO: this server's outbound address, so credentials are useless anywhere else.
    options = {
      credentials: { secretId, secretKey },
      stsEndpoint: "https://sts.intl.tencentcloudapi.com/",
      bindCredentialsTo: process.env.BIND_CREDENTIALS_TO,
    };
  }
  const app = await startApp({ ...options, port: Number(process.env.PORT ?? 5173) });
  console.log(`Open ${app.url}`);
}
