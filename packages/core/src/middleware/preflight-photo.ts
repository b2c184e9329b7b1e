import { checkPhotoBase64 } from "../photo/photo.js";
import type { Middleware } from "../pipeline/stack.js";

/**
 * Checks an `ImageBase64` photo as the service would (format, size, long edge, height:width), so a
 * photo the service would reject never becomes a paid job. Off with `preflight: false`.
 */
export const preflightPhoto: Middleware = async (context, next) => {
  const photo = (context.input as { ImageBase64?: unknown }).ImageBase64;
  if (context.preflight && typeof photo === "string") {
    try {
      checkPhotoBase64(photo);
    } catch (error) {
      Object.assign(error as object, { action: context.operation.action });
      throw error;
    }
  }
  await next();
};
