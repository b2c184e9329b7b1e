// Workers' FixedLengthStream, which Node lacks: a pass-through that errors when more or fewer bytes
// than announced go through, as workerd's does, so a body cut short fails the R2 put it feeds.

class FixedLengthStream extends TransformStream<Uint8Array, Uint8Array> {
  constructor(length: number) {
    let seen = 0;
    super({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > length) throw new TypeError("FixedLengthStream: more bytes than its length");
        controller.enqueue(chunk);
      },
      flush() {
        if (seen !== length) throw new TypeError("FixedLengthStream did not see all expected bytes before close()");
      },
    });
  }
}

/** Gives Node the global a Worker has (the coordinator streams a video of known length through it). */
export function installFixedLengthStream(): void {
  (globalThis as { FixedLengthStream?: unknown }).FixedLengthStream ??= FixedLengthStream;
}
