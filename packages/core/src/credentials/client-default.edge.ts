// The credentials a VclmClient uses when given none, in Workers and browsers: the environment only
// (files, the metadata service and TKE do not exist there), so the chain stays out of their bundles.
import type { CredentialsProvider } from "@vclm/signer";
import { fromEnv } from "./from-env.js";

/** `TENCENTCLOUD_*` from the runtime's environment, checked at once. */
export const clientDefaultCredentials = (): CredentialsProvider => fromEnv();
