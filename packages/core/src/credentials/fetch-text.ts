import { VclmNetworkError } from "../errors/network-error.js";
import { VclmTimeoutError } from "../errors/timeout-error.js";

/**
 * Fetches `url` and reads its whole body as text, for the credential providers that fetch (an
 * endpoint of yours, the metadata service). A failure on the way, the body's reading included, is a
 * `VclmNetworkError`; once `deadline` has fired, a `VclmTimeoutError` that says what was not done.
 */
export async function fetchText(
  fetcher: typeof fetch,
  url: string | URL,
  init: RequestInit,
  failed: { readonly action: string; readonly deadline: AbortSignal | undefined; readonly timeout: number; readonly notDone: string },
): Promise<{ response: Response; body: string }> {
  try {
    const response = await fetcher(url, init);
    return { response, body: await response.text() };
  } catch (error) {
    if (failed.deadline?.aborted) throw new VclmTimeoutError(failed.notDone, failed.timeout);
    throw new VclmNetworkError(String(url), failed.action, error);
  }
}
