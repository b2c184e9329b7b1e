import { adminRoute } from "./admin/routes.js";
import { isLoopbackHost, misdirected } from "./auth/hosts.js";
import { isMetadataPath, metadataResponse } from "./metadata.js";
import { serveApi } from "./serve-api.js";
import type { Service } from "./service.js";
import { serveVideo } from "./video/serve-video.js";
import { corsHeaders } from "./wire/cors.js";

/**
 * Sends each request where it goes: preflights, `GET /videos/...`, the metadata routes, the admin
 * API under `/_emulator/`, and `POST /` to the API; anything else is a 404 that says what this is.
 */
export async function route(service: Service, request: Request, remoteAddress: string | undefined): Promise<Response> {
  const { options } = service;
  const url = new URL(request.url);
  const cors = corsHeaders(request, options.cors);
  const admin = url.pathname.startsWith("/_emulator/");
  // Never a preflight for the admin API: no web page may drive it, even with `cors` on.
  if (request.method === "OPTIONS")
    return admin
      ? new Response(null, { status: 405 })
      : new Response(null, { status: cors["Access-Control-Allow-Origin"] ? 204 : 405, headers: cors });
  if (request.method === "GET" && url.pathname.startsWith("/videos/")) return serveVideo(service, url, request.headers, cors);
  if (request.method === "GET" && isMetadataPath(url.pathname)) {
    if (!hostAllowed(service, url.hostname)) return misdirected(url.hostname);
    const role = options.instanceRole;
    return metadataResponse(url.pathname, role, () => service.credentials.forInstance(role as NonNullable<typeof role>));
  }
  if (admin && options.admin !== false) {
    if (!hostAllowed(service, url.hostname)) return misdirected(url.hostname);
    return adminRoute(service, request, url);
  }
  if (url.pathname !== "/" || request.method !== "POST") {
    return new Response(JSON.stringify({ error: "This is a VCLM API emulator: POST / with a signed JSON body." }), {
      status: 404,
      headers: { "Content-Type": "application/json", ...cors },
    });
  }
  return serveApi(service, request, url, cors, remoteAddress);
}

// The admin API and the metadata routes hand out control and credentials: only to a request that
// names this machine (or a host the user named), never to a page that reached it by DNS rebinding.
const hostAllowed = (service: Service, hostname: string): boolean => isLoopbackHost(hostname) || service.allowedHosts.has(hostname);
