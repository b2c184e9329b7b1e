import { sign } from "@vclm/signer";
import { VclmTimeoutError } from "../errors/timeout-error.js";
import type { Middleware } from "../pipeline/stack.js";
import { withDeadline } from "../util/deadline.js";

/**
 * Signs the request (TC3-HMAC-SHA256) for the client's signing host and the operation's service,
 * with the client's clock offset. Runs on every attempt, so a retry is signed afresh. Signs
 * `X-TC-Action` too, so a relay cannot change it. Waiting for a credentials provider honours the
 * call's signal and timeout: a provider that stalls fails this call, not every call forever. The
 * provider is called with a `CredentialsWait` whose signal aborts once this call stops waiting.
 */
export const signRequest: Middleware = async (context, next) => {
  const { client, request, operation } = context;
  // Aborted once this call stops waiting for its credentials (they came, or the call gave up), so a
  // refresh that no call waits for any more is dropped: see cacheCredentials.
  const waiting = new AbortController();
  const credentials =
    typeof client.credentials === "function"
      ? await withDeadline(Promise.resolve({ signal: waiting.signal }).then(client.credentials), {
          signal: context.signal,
          timeout: context.timeout,
          onTimeout: () => new VclmTimeoutError(operation.action, context.timeout, false),
        }).finally(() => waiting.abort())
      : client.credentials;
  request.headers = await sign(
    { host: client.signingHost, headers: request.headers, body: request.body },
    { credentials, clockOffset: client.clockOffset, service: operation.service, signedHeaders: ["X-TC-Action"] },
  );
  await next();
};
