/**
 * The CORS headers for a request when the emulator answers browsers (`cors: true`); none
 * otherwise, as the real service sends none.
 */
export function corsHeaders(request: Request, cors: boolean | undefined): Record<string, string> {
  if (!cors) return {};
  return {
    "Access-Control-Allow-Origin": request.headers.get("origin") ?? "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": request.headers.get("access-control-request-headers") ?? "*",
    "Access-Control-Max-Age": "600",
  };
}
