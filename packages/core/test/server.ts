// A small VCLM-speaking server on loopback for tests, until @vclm/emulator exists: it checks each
// request's TC3-HMAC-SHA256 signature (recomputed from the request as received, for the accounts it
// knows) and answers through a handler per action, in the service's envelope.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@vclm/signer";

export interface Received {
  action: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export type Handler = (request: Received) => unknown | Promise<unknown>;

export interface TestServer {
  url: string;
  received: Received[];
  /** Answer the next request raw (status, body) instead of through the handler. */
  rawOnce(status: number, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

const error = (Code: string, Message: string) => ({ Error: { Code, Message } });

export async function startTestServer(accounts: Record<string, string>, handle: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const raw: { status: number; body: string; headers: Record<string, string> }[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const next = raw.shift();
    if (next) {
      response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      response.end(next.body);
      return;
    }
    const requestId = crypto.randomUUID();
    const answer = await answerFor(request, text, accounts, handle, received).catch((e: Error) => error("InternalError", e.message));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ Response: { ...(answer as object), RequestId: requestId } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    rawOnce: (status, body, headers = {}) => raw.push({ status, body, headers }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answerFor(request: IncomingMessage, text: string, accounts: Record<string, string>, handle: Handler, received: Received[]) {
  const authorization = request.headers.authorization ?? "";
  const match =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\w+)\/tc3_request, SignedHeaders=([\w;-]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return error("AuthFailure.InvalidAuthorization", "Authorization is malformed");
  const [, secretId, , service, signedHeaders, signature] = match as unknown as string[];
  // As the service: the scope must name vclm, whatever host the request was sent to.
  if (service !== "vclm") return error("AuthFailure.SignatureFailure", `the credential scope names service "${service}", not "vclm"`);
  const secretKey = accounts[secretId as string];
  if (!secretKey) return error("AuthFailure.SecretIdNotFound", "unknown SecretId");
  const timestamp = Number(request.headers["x-tc-timestamp"]);
  if (Math.abs(timestamp - Date.now() / 1000) > 300) return error("AuthFailure.SignatureExpire", "timestamp too far off");
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders as string).split(";")) if (name !== "host") headers[name] = String(request.headers[name] ?? "");
  const host = String(request.headers.host).replace(/:\d+$/, "");
  const expected = await sign(
    { host, headers, body: text },
    {
      credentials: { secretId: secretId as string, secretKey },
      timestamp,
      service,
      signedHeaders: (signedHeaders as string).split(";").filter((n) => n !== "content-type" && n !== "host"),
    },
  );
  if (!expected.Authorization?.endsWith(`Signature=${signature}`)) return error("AuthFailure.SignatureFailure", "signature does not match");
  const action = String(request.headers["x-tc-action"]);
  const body = JSON.parse(text) as Record<string, unknown>;
  received.push({ action, headers: request.headers, body });
  return handle({ action, headers: request.headers, body });
}

/**
 * A handler that plays the service for jobs: Submit makes a JobId (from `base`, counting up); each
 * Describe of it moves WAIT -> RUN -> DONE; an unknown JobId is FailedOperation.JobNotFound.
 */
export function jobsHandler(base = 1194931538865782784n): Handler & { jobs: Map<string, number> } {
  const jobs = new Map<string, number>();
  const handle = ({ action, body }: Received) => {
    if (action === "SubmitImageAnimateJob") {
      const JobId = String(base + BigInt(jobs.size));
      jobs.set(JobId, 0);
      return { JobId };
    }
    const polls = jobs.get(String(body.JobId));
    if (polls === undefined) return { Error: { Code: "FailedOperation.JobNotFound", Message: "The task does not exist." } };
    jobs.set(String(body.JobId), polls + 1);
    const Status = ["WAIT", "RUN", "DONE"][Math.min(polls, 2)];
    return { Status, ErrorCode: "", ErrorMessage: "", ResultVideoUrl: Status === "DONE" ? "https://example.com/v.mp4" : "" };
  };
  return Object.assign(handle, { jobs });
}
