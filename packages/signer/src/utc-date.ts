let lastDay = Number.NaN;
let lastDate = "";

/**
 * The UTC `yyyy-mm-dd` of a unix time in seconds. Signing asks for the same day over and over,
 * and formatting a date is one of the slowest steps of a signature, so the last day is kept.
 */
export function utcDate(seconds: number): string {
  const day = Math.floor(seconds / 86_400);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  return lastDate;
}
