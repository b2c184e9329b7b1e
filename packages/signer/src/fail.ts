import { SignerError } from "./errors.js";

/** Throws a {@link SignerError}: `field` names the input, `problem` completes the sentence. */
export function fail(field: string, problem: string): never {
  throw new SignerError(field, problem);
}

/** An HTTP token: what fetch accepts as a header name. */
export const HEADER_NAME: RegExp = /^[!#$%&'*+.^`|~\w-]+$/;

/**
 * Tab and printable Latin-1: what fetch sends as is. A line break would forge headers; anything
 * else would not reach the server as it was signed.
 */
export const HEADER_VALUE: RegExp = /^[\t\x20-\x7e\x80-\xff]*$/;
