import type { Middleware } from "../pipeline/stack.js";
import { isNode } from "../util/is-node.js";

// Above this, a byte body is worth sending as a stream on Node.
const LARGE = 1024 * 1024;

/**
 * The body and headers to hand to fetch. Node's fetch copies a byte body whole before sending it
 * (13 MB more for a 10 MB photo); a stream of views of the same bytes goes out as it is, with its
 * exact Content-Length, so not chunked. Elsewhere, and for strings and small bodies, as they are.
 */
export function sendableBody(
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
): { body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>; headers: Record<string, string> } {
  if (typeof body === "string" || body.byteLength < LARGE || !isNode()) return { body, headers };
  let at = 0;
  const views = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.byteLength) return controller.close();
      controller.enqueue(body.subarray(at, at + LARGE));
      at += LARGE;
    },
  });
  return { body: views, headers: { ...headers, "Content-Length": String(body.byteLength) } };
}

/**
 * SubmitImageAnimateJob's transport step, just before `fetchTransport`: on Node, a large byte body
 * goes as a stream of views of itself (see {@link sendableBody}) for this attempt only; the bytes
 * are put back after it, so a retry signs and sends them again. Carried by the operation, so a
 * bundle that never submits never carries it.
 */
export const streamLargeBody: Middleware = async (context, next) => {
  const { request } = context;
  const { body, headers } = request;
  const sendable = sendableBody(body, headers);
  if (sendable.body === body) return next();
  // fetchTransport hands the body to fetch as it is, a stream as well as bytes.
  Object.assign(request, sendable as unknown as typeof request);
  try {
    await next();
  } finally {
    Object.assign(request, { body, headers });
  }
};
