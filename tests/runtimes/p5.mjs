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
const marks = {};
const mark = (name) => async (ctx, next) => {
  (marks[name] ??= []).push(performance.now());
  await next();
};
c.middleware.add(mark("0 start"), { name: "m0", phase: "initialize" });
c.middleware.add(mark("1 validated"), { name: "m1", phase: "validate", after: "validateInput" });
c.middleware.add(mark("2 serialized"), { name: "m2", phase: "serialize", after: "serializeJson" });
c.middleware.add(mark("3 signed"), { name: "m3", phase: "sign", after: "signRequest" });
c.middleware.add(
  async (ctx, next) => {
    await next();
    (marks["4 sent"] ??= []).push(performance.now());
  },
  { name: "m4", phase: "deserialize", before: "parseEnvelope" },
);
const b64 = await core.photoToBase64(photo);
for (let i = 0; i < 9; i++) await c.send(core.SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: b64 });
const names = Object.keys(marks).sort();
const out = [];
for (let k = 1; k < names.length; k++) {
  const d = marks[names[k]]
    .map((t, i) => t - marks[names[k - 1]][i])
    .slice(2)
    .sort((a, b) => a - b);
  out.push(`${names[k]} ${d[Math.floor(d.length / 2)].toFixed(1)}`);
}
console.log(dist.includes("before") ? "before" : "now   ", out.join(" | "));
