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
 * The fields of a SubmitImageAnimateJob call's input (valibot), each with the doc an editor shows
 * on hover; {@link SubmitImageAnimateJobInput} adds the rule that the photo comes exactly once.
 *
 * @example
 * ```ts
 * const templateOk = v.safeParse(SubmitImageAnimateJobFields.entries.TemplateId, "kemusan").success; // false
 * ```
 */
export const SubmitImageAnimateJobFields = v.strictObject({
  /** The photo's URL: PNG/JPG/JPEG, long edge at most 2056 px, at most 10 MB, height:width 1.2 to 2. */
  ImageUrl: v.optional(v.pipe(v.string(), v.url("ImageUrl must be an absolute URL"))),
  /** The same photo as bare base64 (see `photoToBase64`). One of ImageUrl, ImageBase64 and photo is needed. */
  ImageBase64: v.optional(v.pipe(v.string(), v.nonEmpty("ImageBase64 is empty"))),
  /** The photo itself, as bytes or a Blob: sent as ImageBase64, encoded straight into the request body. */
  photo: v.optional(
    v.custom<PhotoSource>(
      (value) => value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof Blob === "function" && value instanceof Blob),
      "photo must be the photo's bytes (Uint8Array, ArrayBuffer) or a Blob",
    ),
  ),
  /** The dance: `ke3` (kemusan), `tuziwu` (rabbit dance) or `huajiangwu` (paddling dance). */
  TemplateId: v.picklist(TEMPLATE_IDS, `TemplateId must be one of ${TEMPLATE_IDS.join(", ")}`),
  /** Keep the template's audio. @default true (the service's) */
  EnableAudio: v.optional(v.boolean()),
  /** Detect 12 body joints in the photo. @default false (the service's) */
  EnableBodyJoins: v.optional(v.boolean()),
  /** Keep the photo's background (ignored for tuziwu and huajiangwu). */
  EnableSegment: v.optional(v.boolean()),
  /** 1 adds an "AI generated" mark, 0 none. @default 0 (the service's) */
  LogoAdd: v.optional(integer("LogoAdd")),
  /** A logo of your own: by URL or base64 (the URL wins when both are set), where to put it. */
  LogoParam: v.optional(
    v.strictObject({
      /** The logo's URL. */
      LogoUrl: v.optional(v.pipe(v.string(), v.url("LogoParam.LogoUrl must be an absolute URL"))),
      /** The logo as bare base64, when it has no URL. */
      LogoImage: v.optional(v.string()),
      /** Where the logo goes on the video, in pixels: `X`, `Y` (its top-left corner), `Width`, `Height`. */
      LogoRect: v.optional(v.strictObject({ X: integer("X"), Y: integer("Y"), Width: integer("Width"), Height: integer("Height") })),
    }),
  ),
});

/**
 * The schema of a SubmitImageAnimateJob call's input (valibot): the types are inferred from it, and
 * a form can validate with it too. The photo comes as exactly one of `ImageUrl`, `ImageBase64` and
 * `photo`; each field's own doc says what it takes, and editors show it on hover where a call is
 * written.
 *
 * @example
 * ```ts
 * const formValues: unknown = { TemplateId: "ke3", ImageUrl: "https://example.com/dancer.jpg" }; // what a form sent
 * const ok = v.safeParse(SubmitImageAnimateJobInput, formValues).success;
 * ```
 */
// Typed by name: inferred, the check's type would repeat every field, and TypeDoc warns of each
// field documented twice.
export const SubmitImageAnimateJobInput: v.SchemaWithPipe<
  readonly [typeof SubmitImageAnimateJobFields, v.CheckAction<v.InferOutput<typeof SubmitImageAnimateJobFields>, string>]
> = v.pipe(
  SubmitImageAnimateJobFields,
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
  /** The service's id for this request: quote it when asking Tencent Cloud about it. */
  RequestId: v.string(),
});

/**
 * SubmitImageAnimateJob: starts a job (paid) animating a photo with a dance template.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photo = await readFile("dancer.jpg"); // bytes or a Blob
 * const { JobId } = await client.send(SubmitImageAnimateJob, { TemplateId: "ke3", photo });
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
