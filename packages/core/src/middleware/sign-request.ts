import { sign } from "@vclm/signer";
import type { Middleware } from "../pipeline/stack.js";

/**
 * Signs the request (TC3-HMAC-SHA256) for the client's signing host and the operation's service,
 * with the client's clock offset. Runs on
 * every attempt, so a retry is signed afresh. Signs `X-TC-Action` too, so a relay cannot change it.
 */
export const signRequest: Middleware = async (context, next) => {
  const { client, request } = context;
  request.headers = await sign(
    { host: client.signingHost, headers: request.headers, body: request.body },
    {
      credentials: client.credentials,
      clockOffset: client.clockOffset,
      service: context.operation.service,
      signedHeaders: ["X-TC-Action"],
    },
  );
  await next();
};
