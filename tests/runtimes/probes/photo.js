// The photo path in one runtime: base64 on this runtime's own path, checked against btoa/atob (a
// slow but independent reference) over random lengths and bytes; then a 10 MB JPEG submitted to the
// emulator as bytes, as a Blob and as ImageBase64, timed. In a browser the requests go through the
// page's same-origin relay.
import { SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { fromBase64, toBase64 } from "@vclm/core/internal";
import { largeJpeg } from "@vclm/tools/large-jpeg";

const reference = (bytes) => {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
};

function base64Agrees(runs) {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  for (let run = 0; run < runs; run++) {
    const bytes = new Uint8Array(next() % (run < runs / 2 ? 100 : 70_000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() >>> 24;
    const text = toBase64(bytes);
    if (text !== reference(bytes)) return `toBase64 differs at length ${bytes.length}`;
    const back = fromBase64(text);
    if (back.length !== bytes.length || back.some((byte, i) => byte !== bytes[i])) return `fromBase64 differs at length ${bytes.length}`;
  }
  return true;
}

export default async function probe({ endpoint, relayTarget, credentials }) {
  const inBrowser = typeof document !== "undefined";
  const path =
    typeof Uint8Array.prototype.toBase64 === "function" ? "native" : typeof globalThis.Buffer === "function" ? "Buffer" : "table coder";
  const agrees = base64Agrees(300);

  const client = new VclmClient({
    region: "ap-singapore",
    credentials,
    ...(inBrowser ? { endpoint: "/relay", signingHost: new URL(relayTarget).hostname } : { endpoint }),
    preflight: true,
  });
  const photo = largeJpeg();
  const timings = {};
  const jobs = {};
  for (const [form, input] of [
    ["bytes", () => ({ photo })],
    ["Blob", () => ({ photo: new Blob([photo], { type: "image/jpeg" }) })],
    ["ImageBase64", () => ({ ImageBase64: toBase64(photo) })],
  ]) {
    const start = performance.now();
    jobs[form] = (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ...input() })).JobId;
    timings[form] = Math.round(performance.now() - start);
  }
  return { path, agrees, jobs, timings };
}
