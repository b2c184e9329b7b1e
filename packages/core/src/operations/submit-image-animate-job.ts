import * as v from "valibot";
import { VCLM_SERVICE, VCLM_VERSION } from "../api.js";
import { preflightPhoto } from "../middleware/preflight-photo.js";
import { streamLargeBody } from "../middleware/sendable-body.js";
import { serializePhotoBody } from "../middleware/serialize-photo-body.js";
import { warnMaybeSubmitted } from "../middleware/warn-maybe-submitted.js";
import { defineOperation, type Operation } from "../operation.js";
import type { PhotoSource } from "../photo/photo.js";
import { TEMPLATE_IDS } from "../templates.js";

const integer = (field: string) => v.pipe(v.number(`${field} must be a number`), v.integer(`${field} must be a whole number`));

/**
 * The schema of a SubmitImageAnimateJob call's input (valibot): the types are inferred from it, and
 * a form can validate with it too. Fields: `ImageUrl`, `ImageBase64` or `photo` (exactly one: the
 * photo, PNG/JPEG, at most 10 MB, long edge at most 2056 px, height:width 1.2 to 2; `photo` takes
 * the bytes or a Blob and is sent as `ImageBase64`, encoded straight into the body); `TemplateId` (`ke3`
 * kemusan, `tuziwu` rabbit dance, `huajiangwu` paddling dance); `EnableAudio` (keep the template's
 * audio, default true); `EnableBodyJoins` (detect 12 body joints, default false); `EnableSegment`
 * (keep the photo's background; ignored for tuziwu and huajiangwu); `LogoAdd` (1 adds an "AI
 * generated" mark, default 0); `LogoParam` (`LogoUrl` or `LogoImage`, and `LogoRect`).
 *
 * @example
 * ```ts
 * const ok = v.safeParse(SubmitImageAnimateJobInput, formValues).success;
 * ```
 */
export const SubmitImageAnimateJobInput = v.pipe(
  v.strictObject({
    // The photo's URL: PNG/JPG/JPEG, long edge at most 2056 px, at most 10 MB, height:width 1.2 to 2.
    ImageUrl: v.optional(v.pipe(v.string(), v.url("ImageUrl must be an absolute URL"))),
    // The same photo as bare base64 (see `photoToBase64`). One of ImageUrl, ImageBase64 and photo is needed.
    ImageBase64: v.optional(v.pipe(v.string(), v.nonEmpty("ImageBase64 is empty"))),
    // The photo itself, as bytes or a Blob: sent as ImageBase64, encoded straight into the request body.
    photo: v.optional(
      v.custom<PhotoSource>(
        (value) => value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof Blob === "function" && value instanceof Blob),
        "photo must be the photo's bytes (Uint8Array, ArrayBuffer) or a Blob",
      ),
    ),
    // The dance: `ke3` (kemusan), `tuziwu` (rabbit dance) or `huajiangwu` (paddling dance).
    TemplateId: v.picklist(TEMPLATE_IDS, `TemplateId must be one of ${TEMPLATE_IDS.join(", ")}`),
    // Keep the template's audio. The service's default: true.
    EnableAudio: v.optional(v.boolean()),
    // Detect 12 body joints in the photo. The service's default: false.
    EnableBodyJoins: v.optional(v.boolean()),
    // Keep the photo's background (ignored for tuziwu and huajiangwu).
    EnableSegment: v.optional(v.boolean()),
    // 1 adds an "AI generated" mark, 0 none. The service's default: 0.
    LogoAdd: v.optional(integer("LogoAdd")),
    // A logo of your own: by URL or base64 (the URL wins when both are set), where to put it.
    LogoParam: v.optional(
      v.strictObject({
        LogoUrl: v.optional(v.pipe(v.string(), v.url("LogoParam.LogoUrl must be an absolute URL"))),
        LogoImage: v.optional(v.string()),
        LogoRect: v.optional(v.strictObject({ X: integer("X"), Y: integer("Y"), Width: integer("Width"), Height: integer("Height") })),
      }),
    ),
  }),
  v.check(
    ({ ImageUrl, ImageBase64, photo }) => [ImageUrl, ImageBase64, photo].filter((given) => given !== undefined).length === 1,
    "give the photo as exactly one of ImageUrl, ImageBase64 and photo",
  ),
);

/**
 * The schema of a SubmitImageAnimateJob answer's `Response` (valibot).
 *
 * @example
 * ```ts
 * type Answer = v.InferOutput<typeof SubmitImageAnimateJobOutput>;
 * ```
 */
export const SubmitImageAnimateJobOutput = v.object({
  /** The new job's id: a 64-bit number as a string. Keep it: DescribeImageAnimateJob takes it. */
  JobId: v.pipe(v.string(), v.nonEmpty()),
  RequestId: v.string(),
});

/**
 * SubmitImageAnimateJob: starts a job (paid) animating a photo with a dance template.
 *
 * @example
 * ```ts
 * const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo }); // bytes or a Blob
 * ```
 */
export const SubmitImageAnimateJob: Operation<typeof SubmitImageAnimateJobInput, typeof SubmitImageAnimateJobOutput> = defineOperation({
  action: "SubmitImageAnimateJob",
  version: VCLM_VERSION,
  service: VCLM_SERVICE,
  input: SubmitImageAnimateJobInput,
  output: SubmitImageAnimateJobOutput,
  idempotent: false,
  // The photo check travels with the operation: a bundle that never submits never carries it.
  middleware: [
    { name: "preflightPhoto", phase: "validate", after: "validateInput", middleware: preflightPhoto },
    { name: "serializePhotoBody", phase: "serialize", before: "serializeJson", middleware: serializePhotoBody },
    { name: "warnMaybeSubmitted", phase: "transport", before: "fetchTransport", middleware: warnMaybeSubmitted },
    { name: "streamLargeBody", phase: "transport", before: "fetchTransport", middleware: streamLargeBody },
  ],
});
