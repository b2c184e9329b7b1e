import { makePng } from "@vclm/tools/photos";
import { describe, expect, it } from "vitest";
import { makeContext, runAlone } from "../../test/context.js";
import { VclmPhotoError } from "../errors/photo-error.js";
import { SubmitImageAnimateJob } from "../operations/submit-image-animate-job.js";
import { preflightPhoto } from "./preflight-photo.js";

const submit = (ImageBase64: string, preflight = true) =>
  makeContext({ operation: SubmitImageAnimateJob, input: { TemplateId: "ke3", ImageBase64 }, preflight });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("preflightPhoto", () => {
  it("lets a photo the service accepts through", async () => {
    expect(await runAlone(preflightPhoto, submit(b64(makePng(600, 1000))))).toBe(1);
  });

  it("stops a photo the service would refuse, with its code and the action", async () => {
    const error = await runAlone(preflightPhoto, submit(b64(makePng(1000, 1000)))).catch((e) => e);
    expect(error).toBeInstanceOf(VclmPhotoError);
    expect(error).toMatchObject({ code: "FailedOperation.ImageRadioExcceed", action: "SubmitImageAnimateJob" });
  });

  it("can be turned off per call", async () => {
    expect(await runAlone(preflightPhoto, submit(b64(makePng(1000, 1000)), false))).toBe(1);
  });

  it("leaves a photo given by URL to the service", async () => {
    const context = makeContext({ operation: SubmitImageAnimateJob, input: { TemplateId: "ke3", ImageUrl: "https://example.com/a.jpg" } });
    expect(await runAlone(preflightPhoto, context)).toBe(1);
  });
});
