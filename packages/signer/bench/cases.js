// The two requests the signer is benchmarked on: a DescribeImageAnimateJob body, and a Submit
// carrying a 10 MB photo as base64 (about 13.4 MB of JSON). Shared by the Node bench and the
// runtime probes.
export const credentials = { secretId: "AKIDbenchmark00000000000000000000000", secretKey: "benchmark-secret-key-0000000000000" };

const host = "vclm.intl.tencentcloudapi.com";
const headers = (action) => ({
  "Content-Type": "application/json",
  "X-TC-Action": action,
  "X-TC-Version": "2024-05-23",
  "X-TC-Region": "ap-singapore",
});

export const describeRequest = {
  host,
  headers: headers("DescribeImageAnimateJob"),
  body: JSON.stringify({ JobId: "1194931538865782784" }),
};

/** A deterministic 10 MB "photo" as base64, built without Buffer so every runtime can make it. */
export function submitRequest() {
  const photo = new Uint8Array(10 * 1024 * 1024);
  for (let i = 0; i < photo.length; i++) photo[i] = (i * 2654435761) >>> 24;
  let binary = "";
  for (let i = 0; i < photo.length; i += 0x8000) binary += String.fromCharCode(...photo.subarray(i, i + 0x8000));
  return { host, headers: headers("SubmitImageAnimateJob"), body: JSON.stringify({ ImageBase64: btoa(binary), TemplateId: "ke3" }) };
}
