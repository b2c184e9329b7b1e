import { checkPhotoBase64, checkPhotoSource, type PhotoSource } from "../photo/photo.js";
import type { Middleware } from "../pipeline/stack.js";

/**
 * Checks the photo (`photo`, or `ImageBase64`) as the service would (format, size, long edge,
 * height:width), so a photo the service would reject never becomes a paid job. Reads only the
 * header. Off with `preflight: false`.
 */
export const preflightPhoto: Middleware = async (context, next) => {
  const { photo, ImageBase64 } = context.input as { photo?: PhotoSource; ImageBase64?: unknown };
  if (context.preflight && (photo !== undefined || typeof ImageBase64 === "string")) {
    try {
      if (photo !== undefined) await checkPhotoSource(photo);
      else checkPhotoBase64(ImageBase64 as string);
    } catch (error) {
      Object.assign(error as object, { action: context.operation.action });
      throw error;
    }
  }
  await next();
};
