// The browser app's backend: serves the page, knows who is signed in (your sign-in, through
// authorize(); or, against the emulator only, a stand-in name box), hands signed-in users temporary
// credentials (STS GetFederationToken: the two VCLM actions only, short-lived, bound to the relay's
// address) and relays their signed requests within a daily quota. Its own permanent key never
// leaves it. `node server.js --emulator` runs it against an embedded emulator, with no account; see
// README.md for running it for real, and for several instances sharing one Redis (`--redis URL`).

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { VclmClient } from "@vclm/core";
import { readCapped } from "@vclm/core/internal";
import { STS } from "@vclm/core/sts";
import { createCredentialsHandler, createRelay, memoryStore, RelayStoreError, submitsLeft } from "@vclm/relay";
import { build } from "esbuild";
import { storeSessions } from "./sessions.js";

const SESSION = "vclm_session";
const HOUR = 3_600_000;
/** The most a stand-in sign-in's body may be: a name fits in a few dozen bytes. */
const LOGIN_BODY_BYTES = 1024;
const RELAY_README = 'see "Binding credentials to the relay" in packages/relay/README.md';

/** The app cannot start as configured: the message says what to set. */
export class AppConfigError extends Error {
  name = "AppConfigError";
}

/** Whether a URL is on this machine (the stand-in sign-in runs only against a local emulator). */
const isLocal = (url) => {
  try {
    return /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * @param {{ vclmEndpoint?: string, stsEndpoint?: string, signingHost?: string, credentials: { secretId: string, secretKey: string },
 *           authorize?: (request: Request) => ({ id: string } | undefined | null | Promise<{ id: string } | undefined | null>),
 *           standInSignIn?: boolean, tokenSeconds?: number, refreshBeforeMs?: number, port?: number, submitsPerDay?: number,
 *           bindCredentialsTo?: string | string[], publicUrl?: string, secureCookies?: boolean, sessionMs?: number,
 *           maxSessions?: number, store?: import("@vclm/relay").RelayStore, now?: () => number }} options
 *   `authorize`: your sign-in (who a request is from). `standInSignIn: true` instead: a name box where anyone signs in as
 *   anyone, for a local emulator only. `secureCookies`: the session cookie is `Secure` (set it when users reach the app
 *   over HTTPS, e.g. through a TLS proxy). `publicUrl`: the origin users reach the app at, the only one its sign-in
 *   accepts (default: the request's own `Host`). `store`: where quotas, replay claims, credential and job owners and the
 *   stand-in sign-in's sessions are kept (default: this process's memory); give every instance the same one (Redis:
 *   `redisRelayStore` from @vclm/redis) to run several. `maxSessions`: stand-in sign-ins per `sessionMs` window (so at most
 *   twice as many live sessions); past it, 503 until the next window.
 */
export async function startApp({
  vclmEndpoint,
  stsEndpoint,
  signingHost,
  credentials,
  authorize: yourAuthorize,
  standInSignIn = false,
  tokenSeconds = 900,
  refreshBeforeMs = 300_000,
  port = 0,
  submitsPerDay = 5,
  bindCredentialsTo,
  publicUrl,
  secureCookies = false,
  sessionMs = 12 * HOUR,
  maxSessions = 10_000,
  store = memoryStore(),
  now = Date.now,
}) {
  const sts = new VclmClient({ region: "ap-singapore", credentials, ...(stsEndpoint && { endpoint: stsEndpoint }) });
  const sessions = storeSessions(store, { sessionMs, maxSessions, now });
  const standIn = async (request) => {
    const id = /(?:^|;\s*)vclm_session=([\w-]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
    const name = id && (await sessions.nameOf(id));
    return name ? { id: name } : undefined;
  };

  // Everything wrong with the configuration, said at once and in this app's words.
  const problems = [];
  if (typeof yourAuthorize === "function" && standInSignIn) problems.push("give authorize or standInSignIn, not both");
  else if (standInSignIn && !(isLocal(vclmEndpoint) && isLocal(stsEndpoint)))
    problems.push(
      "the stand-in sign-in lets anyone sign in as anyone: it runs only against an emulator on this machine (run with --emulator), never with a real key",
    );
  else if (typeof yourAuthorize !== "function" && !standInSignIn)
    problems.push(
      "set AUTHORIZE_MODULE=./my-sign-in.js, a module that exports authorize(request) returning { id } for a signed-in user or undefined (startApp({ authorize }) in code): with a real key, only your own sign-in decides who may spend your money. The name box is a stand-in that runs only with --emulator",
    );
  const authorize = standInSignIn ? standIn : yourAuthorize;
  let issue;
  try {
    // (Without an authorize, one that lets nobody in: the binding is still checked, and the app does not start.)
    issue = createCredentialsHandler({
      authorize: authorize ?? (() => undefined),
      sts,
      store,
      durationSeconds: tokenSeconds,
      bindTo: bindCredentialsTo,
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    problems.push(
      bindCredentialsTo === undefined
        ? `set BIND_CREDENTIALS_TO to this server's outbound address as a CIDR range, e.g. BIND_CREDENTIALS_TO=203.0.113.7/32 (startApp({ bindCredentialsTo }) in code), so the credentials the page holds work only through this server's relay and its quota; to find the address, ${RELAY_README}`
        : `BIND_CREDENTIALS_TO is not what the relay takes (${error.message}): give this server's outbound address as a CIDR range, e.g. 203.0.113.7/32; ${RELAY_README}`,
    );
  }
  let publicOrigin;
  try {
    publicOrigin = publicUrl === undefined ? undefined : new URL(publicUrl).origin;
  } catch {
    problems.push("PUBLIC_URL (publicUrl) must be the address users reach the app at, e.g. https://animate.example.com");
  }
  if (problems.length) throw new AppConfigError(`apps/browser cannot start:\n- ${problems.join("\n- ")}`);

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
  let credentialsIssued = 0;
  const relay = createRelay({
    authorize,
    store,
    submitsPerDay,
    ...(vclmEndpoint && { target: vclmEndpoint }),
    ...(signingHost && { signingHost }),
  });
  /** This app's origin as browsers see it: PUBLIC_URL's, or the one the request was sent to. */
  const originOf = (request) => publicOrigin ?? `${secureCookies ? "https" : "http"}://${request.headers.host}`;
  const otherSite = (response, request) =>
    send(
      response,
      403,
      "application/json",
      JSON.stringify({ error: `refused: not sent by this app's page at ${originOf(request)} (behind a proxy, set PUBLIC_URL)` }),
    );

  /** The stand-in sign-in: JSON from this very origin, a capped body, a bounded number of expiring sessions. */
  async function login(request, response) {
    // Browsers send Origin on every POST: one missing or from elsewhere is another site's form (login CSRF).
    if (request.headers.origin !== originOf(request)) return otherSite(response, request);
    if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? ""))
      return send(response, 415, "application/json", '{"error":"send JSON (Content-Type: application/json)"}');
    const tooLarge = `{"error":"the body is over ${LOGIN_BODY_BYTES} bytes"}`;
    if (Number(request.headers["content-length"] ?? 0) > LOGIN_BODY_BYTES)
      return send(response, 413, "application/json", tooLarge, undefined, true);
    const body = await readCapped(Readable.toWeb(request), LOGIN_BODY_BYTES); // read no further than the cap
    if (!body) return send(response, 413, "application/json", tooLarge, undefined, true);
    let name;
    try {
      ({ name } = JSON.parse(new TextDecoder().decode(body)));
    } catch {
      // not JSON: refused just below
    }
    if (typeof name !== "string" || !/^[\w .-]{1,32}$/.test(name))
      return send(response, 400, "application/json", '{"error":"a name of 1 to 32 letters"}');
    const id = await sessions.open(name);
    // This window's sign-ins are used up: nobody is signed out to make room.
    if (!id) return send(response, 503, "application/json", '{"error":"too many people have signed in: try later"}');
    const cookie = `${SESSION}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(sessionMs / 1000)}${secureCookies ? "; Secure" : ""}`;
    response.setHeader("Set-Cookie", cookie);
    return send(response, 200, "application/json", JSON.stringify({ user: name }));
  }

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname === "/api/login" && standInSignIn) {
        if (request.method !== "POST") return send(response, 405, "application/json", '{"error":"sign in with POST"}');
        return await login(request, response);
      }
      // A POST from another site's page is refused, whatever cookies it carries (your session cookie may not be SameSite=Strict).
      if (request.method === "POST" && request.headers.origin !== undefined && request.headers.origin !== originOf(request))
        return otherSite(response, request);
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
          JSON.stringify({ signingHost: signingHost ?? "vclm.intl.tencentcloudapi.com", refreshBeforeMs, standInSignIn }),
        );
      if (url.pathname === "/api/me") {
        const user = await authorize(web, info);
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
      // The store did not answer (Redis unreachable) outside the relay's own 503: reading a session, the
      // sign-in, /api/me. Fail closed, as the relay does.
      if (error instanceof RelayStoreError)
        return send(
          response,
          503,
          "application/json",
          JSON.stringify({ error: `the app is busy: ${error.message}; try again in a minute` }),
        );
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

/** `close`: the body was not read whole, so the connection is not kept for another request. */
function send(response, status, type, body, date, close = false) {
  response.writeHead(status, {
    "Content-Type": type ?? "application/octet-stream",
    "Cache-Control": "no-store",
    ...(date && { Date: date }),
    ...(close && { Connection: "close" }),
  });
  response.end(body);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { AUTHORIZE_MODULE, BIND_CREDENTIALS_TO, PUBLIC_URL, REDIS_URL, SUBMITS_PER_DAY } = process.env;
    const emulatorFlag = flag("--emulator");
    const redisUrl = flag("--redis") ?? (REDIS_URL || undefined);
    if (redisUrl === true) throw new AppConfigError("--redis needs a URL: --redis redis://127.0.0.1:6379");
    // Your sign-in, when you give one: authorize(request) => { id } | undefined.
    const authorize = AUTHORIZE_MODULE ? await loadAuthorize(AUTHORIZE_MODULE) : undefined;
    let options;
    if (emulatorFlag) {
      // `--emulator URL`: an emulator already running there, which several instances share (jobs and
      // temporary credentials live in it); `--emulator` alone: one inside this process.
      const { startEmulator, DEMO_ACCOUNT } = await import("@vclm/emulator/node");
      const emulatorUrl = emulatorFlag === true ? (await startEmulator({ schedule: { waitMs: 2_000, runMs: 6_000 } })).url : emulatorFlag;
      // Credentials bound to this server's address: taken elsewhere, they are refused (qcs:ip).
      options = {
        vclmEndpoint: emulatorUrl,
        stsEndpoint: emulatorUrl,
        signingHost: "127.0.0.1",
        credentials: DEMO_ACCOUNT,
        bindCredentialsTo: "127.0.0.1/32",
        ...(authorize ? { authorize } : { standInSignIn: true }),
      };
    } else {
      const { TENCENTCLOUD_SECRET_ID: secretId, TENCENTCLOUD_SECRET_KEY: secretKey } = process.env;
      if (!secretId || !secretKey)
        throw new AppConfigError("set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or run with --emulator");
      options = {
        credentials: { secretId, secretKey },
        stsEndpoint: STS.intlEndpoint,
        authorize,
        // This server's outbound address: the credentials are useless anywhere else.
        bindCredentialsTo: BIND_CREDENTIALS_TO?.trim() ? BIND_CREDENTIALS_TO.split(",").map((range) => range.trim()) : undefined,
      };
    }
    // Where users reach the app, when it is not where it listens (a TLS proxy): cookies are Secure over https.
    if (PUBLIC_URL) Object.assign(options, { publicUrl: PUBLIC_URL, secureCookies: PUBLIC_URL.startsWith("https:") });
    if (SUBMITS_PER_DAY?.trim()) {
      const submitsPerDay = Number(SUBMITS_PER_DAY);
      if (!Number.isSafeInteger(submitsPerDay) || submitsPerDay < 0)
        throw new AppConfigError("SUBMITS_PER_DAY must be a whole number of jobs per user per day, e.g. SUBMITS_PER_DAY=20");
      options.submitsPerDay = submitsPerDay;
    }
    // Several instances share one Redis: quotas, replay claims, credential and job owners, sessions.
    let redis;
    if (redisUrl) {
      const { connectRedisStore } = await import("./redis-store.js");
      redis = await connectRedisStore(redisUrl).catch((error) => {
        throw error instanceof TypeError ? new AppConfigError(error.message) : error; // not a redis:// URL
      });
      options.store = redis.store;
    }
    const app = await startApp({ ...options, port: Number(process.env.PORT ?? 5173) });
    console.log(`Open ${app.url}${redis ? ` (sharing quotas and sessions through Redis at ${redis.shownUrl})` : ""}`);
  } catch (error) {
    // What to set, never a value from the environment.
    console.error(error instanceof AppConfigError ? error.message : `apps/browser cannot start: ${error.message}`);
    process.exit(1);
  }
}

/** `--name value` or `--name=value`: the value; `--name` alone: true; absent: undefined. */
function flag(name) {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (at < 0) return undefined;
  if (args[at] !== name) return args[at].slice(name.length + 1);
  const next = args[at + 1];
  return next !== undefined && !next.startsWith("--") ? next : true;
}

/** The `authorize` export of the module AUTHORIZE_MODULE names (a path from the working directory, or a package). */
async function loadAuthorize(specifier) {
  const path = /^\.{0,2}\//.test(specifier) ? pathToFileURL(resolve(specifier)).href : specifier;
  const module = await import(path).catch((error) => {
    throw new AppConfigError(`AUTHORIZE_MODULE (${specifier}) could not be loaded: ${error.message}`);
  });
  if (typeof module.authorize !== "function")
    throw new AppConfigError(`AUTHORIZE_MODULE (${specifier}) must export authorize(request) returning { id } or undefined`);
  return module.authorize;
}
