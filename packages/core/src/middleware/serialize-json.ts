import type { Middleware } from "../pipeline/stack.js";

/**
 * The JSON body and the headers naming the action, version, region, language and client. A body
 * an earlier serializer made (SubmitImageAnimateJob's photo body) is kept.
 */
export const serializeJson: Middleware = async (context, next) => {
  const { operation, client, request } = context;
  if (request.body === "") request.body = JSON.stringify(context.input);
  Object.assign(request.headers, {
    "Content-Type": "application/json",
    "X-TC-Action": operation.action,
    "X-TC-Version": operation.version,
    "X-TC-Region": client.region,
    "X-TC-RequestClient": client.requestClient,
  });
  if (client.language) request.headers["X-TC-Language"] = client.language;
  await next();
};
