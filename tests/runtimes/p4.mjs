import { largeJpeg } from "@vclm/tools/photo";

const [url, dist] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const core = await import(dist + "/index.js");
const photo = largeJpeg();
const c = new core.VclmClient({
  region: "ap-singapore",
  endpoint: url,
  credentials: { secretId: "AKIDb", secretKey: "k" },
  preflight: false,
});
const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(1);
const tb = [],
  ts = [];
for (let i = 0; i < 13; i++) {
  const s = performance.now();
  const b64 = await core.photoToBase64(photo);
  const m = performance.now();
  await c.send(core.SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: b64 });
  const e = performance.now();
  if (i >= 2) {
    tb.push(m - s);
    ts.push(e - m);
  }
}
console.log(dist.includes("before") ? "before" : "now   ", "photoToBase64", med(tb), "send", med(ts));
