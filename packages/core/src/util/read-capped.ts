/**
 * Reads a body stream whole, but no further than `maxBytes`: past it, the stream is cancelled and
 * the result is `undefined`, whatever a Content-Length claimed. A server reading a request (the
 * relay, the emulator) spends at most `maxBytes` on a body, however large the one offered.
 *
 * @example
 * ```ts
 * async function handle(request: Request): Promise<Response> {
 *   const body = await readCapped(request.body, 16 * 1024 * 1024);
 *   if (!body) return new Response("too large", { status: 413 });
 *   return new Response(`${body.byteLength} bytes`);
 * }
 * ```
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
