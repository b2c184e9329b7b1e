/**
 * The Node build of `@vclm/signer`, chosen by the `node` export condition: the same API as the
 * default build, on synchronous `node:crypto` (several times faster than Web Crypto on Node).
 *
 * @packageDocumentation
 */
import { nodeCrypto } from "./crypto.node.js";
import { type Sign, signWith } from "./sign-with.js";

export { SignerError } from "./errors.js";
export type { Sign } from "./sign-with.js";
export type { Body, Credentials, CredentialsProvider, SignedHeaders, SignOptions, SignRequest } from "./types.js";

/** {@inheritDoc "@vclm/signer".sign} */
export const sign: Sign = signWith(nodeCrypto);
