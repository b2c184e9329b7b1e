// The instrumentation scope of the default tracer and meter. The build writes the package's version
// into VERSION (rollup.config.js); run from source (tests), it says "dev".
export const SCOPE = "@vclm/otel";
export const VERSION = "0.0.0-dev";
