import ky, { TimeoutError } from "ky";
import { VclmNetworkError } from "../errors/network-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import type { Middleware } from "../pipeline/stack.js";
import { MAX_TIMEOUT } from "../util/deadline.js";

/**
 * Sends the request over ky (its own retries and HTTP-error throwing off: retrying is a phase of
 * this pipeline) and reads the answer. Maps timeouts and network failures to typed errors; an abort
 * surfaces as the signal's own reason.
 */
export const fetchTransport: Middleware = async (context, next) => {
  const { request, client, operation, signal, timeout } = context;
  let response: Response;
  try {
    response = await ky.post(request.url, {
      headers: request.headers,
      body: request.body,
      timeout: timeout > 0 && timeout < MAX_TIMEOUT ? timeout : false,
      retry: 0,
      throwHttpErrors: false,
      signal: signal ?? null,
      fetch: client.fetch,
    });
    context.response = { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof TimeoutError) throw new VclmTimeoutError(operation.action, timeout);
    throw new VclmNetworkError(request.url, operation.action, error);
  }
  await next();
};
