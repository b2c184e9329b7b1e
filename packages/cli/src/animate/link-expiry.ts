/** The API's documented lifetime of a result video link. */
const LINK_LIFETIME_MS = 24 * 3_600_000;

/**
 * When a result video link stops working: the end its signature names when it names one (an
 * `expires` of unix seconds, or COS's `q-sign-time=start;end`), else 24 hours after `doneAt`,
 * when the job was seen DONE (the API's documented lifetime).
 */
export function linkExpiry(url: string, doneAt: number): Date {
  const query = new URL(url).searchParams;
  const signed = query.get("expires") ?? query.get("q-sign-time")?.split(";")[1];
  return new Date(signed && /^\d{9,12}$/.test(signed) ? Number(signed) * 1000 : doneAt + LINK_LIFETIME_MS);
}
