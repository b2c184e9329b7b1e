// @vclm/core as this runtime resolves it: submit a photo, follow the job to DONE, and meet each
// kind of error, against the signature-checking test server (through a same-origin relay in a browser).
import {
  DescribeImageAnimateJob,
  fromEnv,
  isServiceError,
  photoToBase64,
  SubmitImageAnimateJob,
  VclmClient,
  VclmPhotoError,
  VclmValidationError,
} from "@vclm/core";

export default async function probe({ endpoint, relayTarget, credentials, photoBase64, squareBase64, workerEnv }) {
  const inBrowser = typeof document !== "undefined";
  // Node, Deno and Bun read their own environment (the test sets TENCENTCLOUD_*); workerd and
  // browsers have none, so they get an env object, as a Worker's bindings.
  const hasEnvironment = Boolean(globalThis.process?.env || globalThis.Deno);
  const client = new VclmClient({
    region: "ap-singapore",
    credentials: hasEnvironment ? fromEnv() : fromEnv(workerEnv),
    // In a browser, the same-origin path form of the endpoint.
    ...(inBrowser ? { endpoint: "/relay", signingHost: new URL(relayTarget).hostname } : { endpoint }),
  });
  // Base64 of a Blob, in this runtime's own way.
  const photo = Uint8Array.from(atob(photoBase64), (c) => c.charCodeAt(0));
  const ImageBase64 = await photoToBase64(new Blob([photo]));
  const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", ImageBase64 });
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
  const withExplicit = new VclmClient({
    region: "ap-singapore",
    credentials,
    endpoint: inBrowser ? new URL("/relay", location.origin).href : endpoint,
    ...(inBrowser && { signingHost: new URL(relayTarget).hostname }),
  });
  const explicit = (await withExplicit.send(DescribeImageAnimateJob, { JobId })).Status;
  return {
    jobIdIsString: typeof JobId === "string",
    base64Matches: ImageBase64 === photoBase64,
    statuses,
    errors,
    explicit,
    credentialsFrom: hasEnvironment ? "environment" : "env object",
  };
}
