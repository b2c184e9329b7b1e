import type { PhotoSource } from "../photo/photo.js";
import { photoJsonBody } from "../photo/photo-body.js";
import type { Middleware } from "../pipeline/stack.js";

// Below this, JSON.stringify is as quick and the body can stay a string.
const LARGE = 64 * 1024;

/**
 * SubmitImageAnimateJob's serializer: the body as bytes made in one pass, the photo (given as
 * `photo`, or a large `ImageBase64`) written straight into it. Runs before `serializeJson`, which
 * keeps a body already made and adds the headers.
 */
export const serializePhotoBody: Middleware = async (context, next) => {
  const { photo, ImageBase64, ...rest } = context.input as { photo?: PhotoSource; ImageBase64?: string };
  const source = photo ?? (ImageBase64 !== undefined && ImageBase64.length >= LARGE ? ImageBase64 : undefined);
  const body = source === undefined ? undefined : await photoJsonBody(rest, source);
  if (body) context.request.body = body;
  await next();
};
