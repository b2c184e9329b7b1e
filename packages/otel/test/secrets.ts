// What left through OpenTelemetry, as one text to search for secrets: every exported span's name,
// attributes, events and status, and every metric's descriptor and data points.
import type { Sdk } from "./sdk.js";

export async function exportedText(sdk: Sdk): Promise<string> {
  const spans = sdk.spans().map(({ name, attributes, events, status }) => ({
    name,
    attributes,
    events: events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status,
  }));
  const metrics = (await sdk.metrics()).map(({ descriptor, dataPoints }) => ({ descriptor, dataPoints }));
  return JSON.stringify({ spans, metrics });
}

/** The names of the secrets found in `text`. */
export const secretsIn = (text: string, secrets: Record<string, string>): string[] =>
  Object.entries(secrets)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
