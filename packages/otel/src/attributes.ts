import type { Attributes } from "@opentelemetry/api";
import type { VclmAttributes } from "@vclm/core";

/** OpenTelemetry attributes of vclm's: the undefined ones left out (the SDK warns of each). */
export function defined(attributes: VclmAttributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
