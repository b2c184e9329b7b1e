// What an MP4 player reads first, checked from the bytes: the box tree (ftyp, moov, mdat), one H.264
// track, its sample table, and samples that are where the table says, each made of whole NAL units.

interface Box {
  readonly type: string;
  /** The box's contents, after its 8-byte header. */
  readonly body: Uint8Array;
  /** Where the contents start in the file. */
  readonly at: number;
}

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** The boxes one after another in `bytes`; throws when a size runs past the end. */
function boxes(bytes: Uint8Array, offset = 0): Box[] {
  const found: Box[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = u32(bytes, at);
    if (size < 8 || at + size > bytes.length) throw new Error(`a box at ${offset + at} has size ${size}, past the end`);
    found.push({ type: text(bytes.subarray(at + 4, at + 8)), body: bytes.subarray(at + 8, at + size), at: offset + at + 8 });
    at += size;
  }
  return found;
}

/** The box at this path of types ("moov/trak/mdia"); throws when one is missing. */
function child(parent: Box, path: string): Box {
  let box = parent;
  for (const type of path.split("/")) {
    // A full box's version and flags, and stsd's entry count, come before its children.
    const skip = box.type === "stsd" ? 8 : box.type === "avc1" ? 78 : 0;
    const next = boxes(box.body.subarray(skip), box.at + skip).find((each) => each.type === type);
    if (!next) throw new Error(`no ${type} box in ${box.type}`);
    box = next;
  }
  return box;
}

/**
 * Checks `video` is an MP4 of one H.264 track as a player reads it, and returns what it found:
 * the frame size, the sample count and the duration. Throws, naming the problem, otherwise.
 */
export function readMp4(video: Uint8Array): { width: number; height: number; samples: number; seconds: number } {
  const file: Box = { type: "file", body: video, at: 0 };
  const top = boxes(video)
    .map((box) => box.type)
    .filter((type) => type !== "free");
  if (top.join() !== "ftyp,moov,mdat") throw new Error(`top-level boxes ${top.join()}, not ftyp,moov,mdat`);
  const stbl = child(file, "moov/trak/mdia/minf/stbl");
  const avc1 = child(stbl, "stsd/avc1");
  child(stbl, "stsd/avc1/avcC");
  const stsz = child(stbl, "stsz").body;
  const samples = u32(stsz, 8);
  const sizes = Array.from({ length: samples }, (_, i) => u32(stsz, 12 + 4 * i));
  const mdat = child(file, "mdat");
  let at = u32(child(stbl, "stco").body, 8);
  if (at !== mdat.at) throw new Error(`the chunk offset ${at} is not the start of mdat (${mdat.at})`);
  for (const [i, size] of sizes.entries()) {
    // A sample is NAL units, each after its 4-byte length, filling it exactly.
    let nal = at;
    while (nal < at + size) nal += 4 + u32(video, nal);
    if (nal !== at + size) throw new Error(`sample ${i}: its NAL units do not fill its size in stsz`);
    at += size;
  }
  if (at !== mdat.at + mdat.body.length) throw new Error("the samples do not fill mdat");
  const mdhd = child(file, "moov/trak/mdia/mdhd").body;
  const width = (avc1.body[24] as number) * 256 + (avc1.body[25] as number);
  const height = (avc1.body[26] as number) * 256 + (avc1.body[27] as number);
  return { width, height, samples, seconds: u32(mdhd, 16) / u32(mdhd, 12) };
}
