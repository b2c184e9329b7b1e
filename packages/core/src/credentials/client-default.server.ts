// The credentials a VclmClient uses when given none, on Node, Deno and Bun: the official chain.
// Chosen by the package's "#client-default" import condition; Workers and browsers get client-default.edge.ts.
import type { CredentialsProvider } from "@vclm/signer";
import { defaultCredentials } from "./default-credentials.js";

/** The chain: environment, profile file, CVM role, TKE web identity. */
export const clientDefaultCredentials = (): CredentialsProvider => defaultCredentials();
