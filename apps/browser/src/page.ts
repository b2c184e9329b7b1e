// The page: sign in, pick a photo, see the pre-flight check, submit, watch the job, play the video,
// see the quota left. It holds only temporary credentials its backend issues to the signed-in user
// (refreshed before they expire) and sends its signed requests to the same-origin relay, since the
// API sends no CORS headers.
import { checkPhoto, fromEndpoint, SubmitImageAnimateJob, type TemplateId, VclmClient, VclmPhotoError } from "@vclm/core";
import { watchJob } from "@vclm/poller";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const photoInput = $<HTMLInputElement>("photo");
const check = $<HTMLParagraphElement>("check");
const submit = $<HTMLButtonElement>("submit");
const status = $<HTMLParagraphElement>("status");
const video = $<HTMLVideoElement>("video");
const template = $<HTMLSelectElement>("template");

const config = (await (await fetch("/api/config")).json()) as { signingHost: string; refreshBeforeMs: number; standInSignIn: boolean };

/** Who is signed in and how many jobs are left today; shows the way to sign in when nobody is. */
async function showAccount(): Promise<void> {
  const answer = await fetch("/api/me");
  // The name box is the emulator's stand-in sign-in; for real, the site's own sign-in sets the session.
  $("login").hidden = answer.ok || !config.standInSignIn;
  $("signed-out").hidden = answer.ok || config.standInSignIn;
  $("app").hidden = !answer.ok;
  if (!answer.ok) return;
  const me = (await answer.json()) as { user: string; submitsLeft: number; submitsPerDay: number };
  $("user").textContent = me.user;
  $("quota").textContent = `${me.submitsLeft} of ${me.submitsPerDay} videos left today`;
  $("quota").dataset.left = String(me.submitsLeft);
}
$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  await fetch("/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: $<HTMLInputElement>("name").value }),
  });
  await showAccount();
});
await showAccount();

const client = new VclmClient({
  region: "ap-singapore",
  endpoint: "/vclm", // a same-origin path: the relay of this page's own server
  signingHost: config.signingHost,
  credentials: fromEndpoint("/api/credentials", { init: { method: "POST" }, refreshBefore: config.refreshBeforeMs }),
});

let photo: File | undefined;
photoInput.addEventListener("change", async () => {
  photo = photoInput.files?.[0];
  submit.disabled = true;
  if (!photo) return;
  try {
    const { format, width, height } = await checkPhoto(photo);
    check.textContent = `✓ ${format.toUpperCase()} ${width}×${height}: the service will take it.`;
    check.className = "ok";
    submit.disabled = false;
  } catch (error) {
    check.textContent = error instanceof VclmPhotoError ? `✗ ${error.message}` : `✗ ${String(error)}`;
    check.className = "bad";
  }
});

submit.addEventListener("click", async () => {
  if (!photo) return;
  submit.disabled = true;
  video.hidden = true;
  try {
    status.textContent = "Submitting…";
    const TemplateId = template.value as TemplateId;
    const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId, photo });
    await showAccount();
    for await (const job of watchJob(client, JobId, { minDelay: 500 })) {
      status.textContent = `Job ${JobId}: ${job.Status}`;
      status.dataset.status = job.Status;
      if (job.Status === "FAIL") status.textContent += ` (${job.ErrorCode}: ${job.ErrorMessage})`;
      if (job.Status === "DONE") {
        video.src = job.ResultVideoUrl;
        video.hidden = false;
        await video.play();
      }
    }
  } catch (error) {
    status.textContent = `Something went wrong: ${(error as Error).message}`;
    status.dataset.status = "ERROR";
  } finally {
    submit.disabled = false;
  }
});
