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
