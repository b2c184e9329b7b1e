import type { MetricOptions } from "@opentelemetry/api";

// Seconds, bounded for calls that take milliseconds to a minute (OpenTelemetry's HTTP client
// duration buckets): the SDK's default buckets are for milliseconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

/** What vclm measures: each instrument's description and unit (UCUM, as OpenTelemetry's conventions write them). */
export const INSTRUMENTS: Readonly<Record<string, MetricOptions>> = {
  "vclm.submits": { description: "SubmitImageAnimateJob calls, by outcome (a job status, or an error type)", unit: "{call}" },
  "vclm.describes": { description: "DescribeImageAnimateJob calls, by outcome (a job status, or an error type)", unit: "{call}" },
  "vclm.retries": { description: "Calls sent again by @vclm/retry, by action and reason", unit: "{retry}" },
  "vclm.throttles": { description: "Attempts the service refused as too many (throttled, or no job slot free)", unit: "{attempt}" },
  "vclm.call.duration": {
    description: "How long a VCLM call took, its retries included, by action and outcome",
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  },
  "vclm.slots.in_use": { description: "The account's job slots in use (jobs waiting or running)", unit: "{job}" },
};
