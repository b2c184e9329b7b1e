import { base64Into, base64Length, isBase64 } from "./base64.js";
import type { PhotoSource } from "./photo.js";

const utf8 = new TextEncoder();

/**
 * The JSON body of a Submit, as bytes made in one pass, its photo last: `{...rest,"ImageBase64":"..."}`.
 * A photo given as bytes or a Blob is base64-encoded straight into the body (a Blob read chunk by
 * chunk, never whole), so no base64 string and no JSON string of 13 MB is ever made; a base64
 * string is copied in as it is. Returns undefined for a string that is not plain base64: only
 * JSON.stringify may then write it, with the escapes it needs.
 */
export async function photoJsonBody(
  rest: Record<string, unknown>,
  photo: PhotoSource | string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (typeof photo === "string" && !isBase64(photo)) return undefined;
  const json = JSON.stringify(rest);
  // The photo's base64 starts at an even offset (a space where needed, which JSON allows), so it
  // can be written two characters at a time.
  let head = utf8.encode(`${json.slice(0, -1)}${json.length > 2 ? "," : ""}"ImageBase64":"`);
  if (head.length % 2) head = utf8.encode(`${json.slice(0, -1)}${json.length > 2 ? ", " : " "}"ImageBase64":"`);
  const size = typeof photo === "string" ? photo.length : base64Length(photo instanceof Blob ? photo.size : photo.byteLength);
  const body = new Uint8Array(head.length + size + 2);
  body.set(head);
  let at = head.length;
  if (typeof photo === "string") at += utf8.encodeInto(photo, body.subarray(at, at + size)).written;
  else if (photo instanceof Blob) at = await blobBase64Into(photo, body, at);
  else at = base64Into(photo instanceof Uint8Array ? photo : new Uint8Array(photo), body, at);
  body[at] = 0x22; // "
  body[at + 1] = 0x7d; // }
  return body;
}

/** Encodes a Blob's bytes as base64 into `target` from `offset`, as its stream hands them over. */
async function blobBase64Into(blob: Blob, target: Uint8Array, offset: number): Promise<number> {
  const reader = blob.stream().getReader();
  let at = offset;
  let carry = new Uint8Array(0); // 0 to 2 bytes left over from the last chunk
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk: Uint8Array = value;
    if (carry.length) {
      const joined = new Uint8Array(carry.length + chunk.length);
      joined.set(carry);
      joined.set(chunk, carry.length);
      chunk = joined;
    }
    const whole = chunk.length - (chunk.length % 3);
    at = base64Into(chunk.subarray(0, whole), target, at);
    carry = chunk.slice(whole);
  }
  return carry.length ? base64Into(carry, target, at) : at;
}
