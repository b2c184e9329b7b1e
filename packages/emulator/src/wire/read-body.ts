import { type Answer, serviceError } from "./envelope.js";

/** The largest body accepted: a 10 MB photo as base64 (13.4 MB) in JSON, with room to spare. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Reads a request body without trusting its Content-Length, stopping past the limit: a huge body
 * costs the emulator no more than the limit.
 */
export async function readBody(request: Request): Promise<{ text: string; bytes: Uint8Array } | Answer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge();
  if (!request.body) return { text: "", bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder("utf-8", { fatal: false }).decode(bytes), bytes };
}

const tooLarge = (): Answer => serviceError("RequestSizeLimitExceeded", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
