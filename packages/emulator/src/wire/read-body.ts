import { readCapped } from "@vclm/core/internal";
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
  const bytes = await readCapped(request.body, MAX_BODY_BYTES);
  if (!bytes) return tooLarge();
  return { text: new TextDecoder("utf-8", { fatal: false }).decode(bytes), bytes };
}

const tooLarge = (): Answer => serviceError("RequestSizeLimitExceeded", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
