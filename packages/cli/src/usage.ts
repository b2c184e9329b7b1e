import { TEMPLATES } from "@vclm/core";

/** Each template with its dance, the first the default: "ke3 (kemusan, default), tuziwu (rabbit dance), ...". */
const templates = Object.entries(TEMPLATES)
  .map(([id, dance], i) => `${id} (${dance}${i === 0 ? ", default" : ""})`)
  .join(", ");

export const USAGE = `Usage: vclm <command> [options]

Animate a photo of a person with a dance template (Tencent Cloud VCLM image animation).

Commands:
  animate <photo>     check the photo, submit it, wait, and download the video
  animate <photo|folder>... --out-dir <dir>
                      animate many photos; a journal in <dir> makes it resumable: run the
                      same command again after a crash and no photo is paid for twice
  submit <photo>      submit a photo (or --image-url URL); prints the JobId
  describe <JobId>    print a job's status
  wait <JobId>        wait for a job, then print (and with --out, download) its video
  emulator            run a local VCLM emulator (see: vclm emulator --help)

Options:
  --template <id>     ${templates}
  --out <file>        where to save the video (animate: default <photo>-<template>.mp4)
  --out-dir <dir>     many photos: where the videos (and the batch's journal) go
  --resubmit-unsure   many photos: submit again the photos whose Submit was in flight when an
                      earlier run stopped (only after checking the account has no job for them)
  --adopt NAME=JOBID  many photos: the job found for a photo that may have been submitted: the
                      batch waits for it and saves its video (repeat for each)
  --quiet, -q         many photos: on stderr, only what must not be missed (a JobId the journal
                      could not record, why submitting stopped)
  --verbose, -v       many photos: every event on stderr (each Submit, status and save)
  --force             replace --out if it exists (otherwise an existing file is never touched)
  --image-url <url>   submit a photo by URL instead of a file
  --emulator          run against an embedded emulator: no account needed
  --endpoint <url>    send requests here (an emulator, a relay) instead of the service
  --region <region>   default ap-singapore
  --json              print machine-readable JSON instead of text
  --help, --version

Exit codes: 0 done; 1 failed (for many photos: some were not saved); 2 a mistake in the call;
3 some photos may have been submitted (their jobs may exist: check before --resubmit-unsure);
130 stopped by Ctrl-C, 143 by SIGTERM (many photos: a Submit already sent is let finish and
recorded first; a second Ctrl-C leaves at once).

Credentials are looked for as the official SDKs look, in this order: TENCENTCLOUD_SECRET_ID,
TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SESSION_TOKEN); ~/.tencentcloud/credentials, then
/etc/tencentcloud/credentials ([default] secret_id, secret_key, token); the CVM instance role;
TKE's OIDC role (TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN).`;

/** A mistake in how the CLI was called: one message, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
