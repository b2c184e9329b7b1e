// @vclm/core as this runtime resolves it: submit a photo, follow the job to DONE, and meet each
// kind of error, against the signature-checking test server (through a same-origin relay in a browser).
import {
  DescribeImageAnimateJob,
  isServiceError,
  SubmitImageAnimateJob,
  VclmClient,
  VclmPhotoError,
  VclmValidationError,
} from "@vclm/core";

export default async function probe({ endpoint, relayTarget, credentials, photoBase64, squareBase64 }) {
  const inBrowser = typeof document !== "undefined";
  const client = new VclmClient({
    region: "ap-singapore",
    credentials,
    ...(inBrowser ? { endpoint: new URL("/relay", location.origin).href, signingHost: new URL(relayTarget).hostname } : { endpoint }),
  });
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: photoBase64 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await client.send(DescribeImageAnimateJob, { JobId })).Status);

  const kind = (error) =>
    isServiceError(error)
      ? error.code
      : error instanceof VclmPhotoError
        ? `photo:${error.code}`
        : error instanceof VclmValidationError
          ? "validation"
          : String(error);
  const errors = await Promise.all([
    client.send(DescribeImageAnimateJob, { JobId: "404" }).catch(kind),
    client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64: squareBase64 }).catch(kind),
    client.send(DescribeImageAnimateJob, { JobId: 42 }).catch(kind),
  ]);
  return { jobIdIsString: typeof JobId === "string", statuses, errors };
}
