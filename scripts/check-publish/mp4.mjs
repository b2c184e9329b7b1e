// Whether some bytes are an MP4 file: box after box to the end, an ftyp first, a moov and an mdat.
// Shared by check-publish.mjs and the user scripts it copies into a fresh project (Node and Deno).

/** What is wrong with `bytes` as an MP4 file, or undefined when nothing is. */
export function mp4Problem(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types = [];
  for (let at = 0; at < bytes.length; ) {
    const size = at + 8 <= bytes.length ? view.getUint32(at) : 0;
    if (size < 8 || at + size > bytes.length) return `not an MP4: the box at byte ${at} of ${bytes.length} has size ${size}`;
    types.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
    at += size;
  }
  if (types[0] !== "ftyp" || !types.includes("moov") || !types.includes("mdat")) return `not an MP4: its boxes are ${types.join(", ")}`;
  return undefined;
}
