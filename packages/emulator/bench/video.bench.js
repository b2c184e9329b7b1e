// `pnpm bench` for the emulator's result video, made from the photo: the CPU it takes for the
// largest photos the service accepts (10 MB), and the video's size. Both steps happen when the
// video is first downloaded (Submit only keeps the photo). Beside it, in the same run, the
// fixed sample video it replaces (no work, and not the photo).
import { readFileSync } from "node:fs";
import { checkPhoto, PHOTO_LIMITS } from "@vclm/core";
import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import { photoForVideo, photoVideo } from "../dist/video/photo-video.js";
import { sampleVideo } from "../dist/video/video.js";

// Noise does not compress: the largest files a photo of this size can be.
function noise(width, height, channels, seed = 7) {
  const data = new Uint8Array(width * height * channels);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 0xff;
    if (channels === 4 && i % 4 === 3) data[i] = 255;
  }
  return data;
}
const png = encodePng({ width: 1280, height: 2000, data: noise(1280, 2000, 4), channels: 4, depth: 8 });
const jpg = new Uint8Array(jpeg.encode({ width: 1284, height: 2056, data: noise(1284, 2056, 4) }, 99).data);
const photos = [
  ["samples/dancer.jpg (a real photo)", new Uint8Array(readFileSync(new URL("../../../samples/dancer.jpg", import.meta.url)))],
  ["JPEG of noise, 1284x2056, quality 99", jpg],
  ["PNG of noise, RGBA, 1280x2000", png],
];

const median = (runs, f) => {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(runs / 2)], result];
};

const rows = [];
for (const [name, bytes] of photos) {
  const { width, height } = await checkPhoto(bytes); // the service would take it
  const [decode, kept] = median(5, () => photoForVideo(bytes));
  const [make, video] = median(5, () => photoVideo(kept, "huajiangwu")); // the dance that turns: the most work a pixel
  rows.push({
    photo: name,
    "photo size": `${(bytes.length / 1e6).toFixed(2)} MB, ${width}x${height}`,
    "decode + scale down (ms)": decode.toFixed(0),
    "make the video (ms)": make.toFixed(0),
    "total CPU (ms)": (decode + make).toFixed(0),
    "video size (MB)": (video.length / 1e6).toFixed(2),
  });
}
rows.push({
  photo: "the fixed sample video it replaces",
  "photo size": "-",
  "total CPU (ms)": "0",
  "video size (MB)": (sampleVideo().bytes.length / 1e6).toFixed(3),
});
console.log(
  `\nThe emulator's result video on Node ${process.versions.node} (photo limit ${PHOTO_LIMITS.maxBytes / 1024 / 1024} MiB), median of 5:`,
);
console.table(rows);
