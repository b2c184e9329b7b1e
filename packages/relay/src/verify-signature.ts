import { sign } from "@vclm/signer";

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/\d{4}-\d{2}-\d{2}\/([a-z0-9]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** The parts of a TC3-HMAC-SHA256 Authorization header, or undefined when there is none or it is malformed. */
export function parseAuthorization(
  value: string | null,
): { secretId: string; service: string; signedHeaders: string[]; signature: string } | undefined {
  const match = AUTHORIZATION.exec(value ?? "");
  if (!match) return undefined;
  const [, secretId, service, signedHeaders, signature] = match as unknown as [string, string, string, string, string];
  return { secretId, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** Whether the request's signature is the one `secretKey` makes for it, signed for `host`. */
export async function signatureMatches(
  request: Request,
  body: Uint8Array,
  host: string,
  { secretId, secretKey }: { secretId: string; secretKey: string },
  parsed: NonNullable<ReturnType<typeof parseAuthorization>>,
  timestamp: number,
): Promise<boolean> {
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) if (name !== "host") headers[name] = request.headers.get(name) ?? "";
  try {
    const expected = await sign(
      { host, headers, body },
      {
        credentials: { secretId, secretKey },
        timestamp,
        service: parsed.service,
        signedHeaders: parsed.signedHeaders.filter((name) => name !== "host" && name !== "content-type"),
      },
    );
    const signature = /Signature=([0-9a-f]{64})$/.exec(expected.Authorization ?? "")?.[1];
    return signature !== undefined && sameInConstantTime(signature, parsed.signature);
  } catch {
    return false; // what the signer cannot sign was not signed by it either
  }
}

/** Two signatures of one length compared in time that does not depend on where they differ. */
function sameInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
