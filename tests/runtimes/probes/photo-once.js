// One Submit with a 10 MB JPEG, in the form asked for: for measuring what a single call costs a
// runtime's memory (bench.js reads workerd's peak RSS around it).
import { photoToBase64, SubmitImageAnimateJob, VclmClient } from "@vclm/core";
import { largeJpeg } from "@vclm/tools/large-jpeg";

export default async function probe({ endpoint, credentials, form }) {
  const client = new VclmClient({ region: "ap-singapore", credentials, endpoint, preflight: false });
  const photo = largeJpeg();
  const input = form === "photo (bytes)" ? { photo } : { ImageBase64: await photoToBase64(photo, { check: false }) };
  return (await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ...input })).JobId;
}
