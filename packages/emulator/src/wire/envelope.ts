/** An answer in the service's envelope: HTTP 200 for successes and service errors alike. */
export interface Answer {
  readonly output?: Record<string, unknown>;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A service error, as the service reports it. */
export const serviceError = (code: string, message: string): Answer => ({ error: { code, message } });

/** The HTTP response for an answer, with the emulator's time in the Date header (the retry plugin reads it). */
export function envelope(answer: Answer, requestId: string, now: number, extraHeaders: Record<string, string> = {}): Response {
  const response = answer.error
    ? { Error: { Code: answer.error.code, Message: answer.error.message }, RequestId: requestId }
    : { ...answer.output, RequestId: requestId };
  return new Response(JSON.stringify({ Response: response }), {
    status: 200,
    headers: { "Content-Type": "application/json", Date: new Date(now).toUTCString(), ...extraHeaders },
  });
}
