// An MP4 (ISO BMFF) of one H.264 track, moov first so a player can start before the end arrives.
const text = (value: string) => Array.from(value, (c) => c.charCodeAt(0));
const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function box(type: string, ...parts: (number[] | Uint8Array)[]): Uint8Array {
  const size = 8 + parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  out.set([...u32(size), ...text(type)]);
  let at = 8;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
const full = (type: string, version: number, flags: number, ...parts: (number[] | Uint8Array)[]) =>
  box(type, [version, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff], ...parts);
const MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].flatMap(u32);

/**
 * The MP4 file of these frames (each one IDR access unit, without a start code), at `fps` frames a
 * second, with the SPS and PPS in its avcC box.
 */
export function mp4(
  frames: readonly Uint8Array[],
  { width, height, fps, sps, pps }: { width: number; height: number; fps: number; sps: Uint8Array; pps: Uint8Array },
): Uint8Array {
  const timescale = fps * 1000;
  const duration = frames.length * 1000; // in timescale units
  const ms = Math.round((frames.length / fps) * 1000);
  const samples = frames.map((frame) => 4 + frame.length);
  const avcC = box(
    "avcC",
    [1, sps[1] as number, sps[2] as number, sps[3] as number, 0xff, 0xe1],
    u16(sps.length),
    sps,
    [1],
    u16(pps.length),
    pps,
  );
  const avc1 = box(
    "avc1",
    [0, 0, 0, 0, 0, 0, ...u16(1)], // reserved, data_reference_index
    new Array(16).fill(0),
    [...u16(width), ...u16(height), ...u32(0x480000), ...u32(0x480000), ...u32(0), ...u16(1)],
    new Array(32).fill(0), // compressorname
    [...u16(0x18), 0xff, 0xff],
    avcC,
  );
  const stbl = (chunkOffset: number) =>
    box(
      "stbl",
      full("stsd", 0, 0, u32(1), avc1),
      full("stts", 0, 0, u32(1), u32(frames.length), u32(1000)),
      full("stsc", 0, 0, u32(1), u32(1), u32(frames.length), u32(1)),
      full("stsz", 0, 0, u32(0), u32(frames.length), samples.flatMap(u32)),
      full("stco", 0, 0, u32(1), u32(chunkOffset)),
    );
  const moov = (chunkOffset: number) =>
    box(
      "moov",
      full(
        "mvhd",
        0,
        0,
        u32(0),
        u32(0),
        u32(1000),
        u32(ms),
        u32(0x10000),
        u16(0x100),
        new Array(10).fill(0),
        MATRIX,
        new Array(24).fill(0),
        u32(2),
      ),
      box(
        "trak",
        full(
          "tkhd",
          0,
          3,
          u32(0),
          u32(0),
          u32(1),
          u32(0),
          u32(ms),
          new Array(8).fill(0),
          u16(0),
          u16(0),
          u16(0),
          u16(0),
          MATRIX,
          u32(width << 16),
          u32(height << 16),
        ),
        box(
          "mdia",
          full("mdhd", 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4), u16(0)),
          full("hdlr", 0, 0, u32(0), text("vide"), new Array(12).fill(0), [...text("VideoHandler"), 0]),
          box(
            "minf",
            full("vmhd", 0, 1, new Array(8).fill(0)),
            box("dinf", full("dref", 0, 0, u32(1), full("url ", 0, 1))),
            stbl(chunkOffset),
          ),
        ),
      ),
    );
  const ftyp = box("ftyp", text("isom"), u32(0x200), text("isomiso2avc1mp41"));
  const moovSize = moov(0).length; // the same size whatever the offset
  const mdatSize = 8 + samples.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(ftyp.length + moovSize + mdatSize);
  out.set(ftyp);
  out.set(moov(ftyp.length + moovSize + 8), ftyp.length);
  let at = ftyp.length + moovSize;
  out.set([...u32(mdatSize), ...text("mdat")], at);
  at += 8;
  for (const frame of frames) {
    out.set(u32(frame.length), at);
    out.set(frame, at + 4);
    at += 4 + frame.length;
  }
  return out;
}
