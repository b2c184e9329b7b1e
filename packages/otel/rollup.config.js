import { readFileSync } from "node:fs";
import { packageConfig } from "@vclm/tools/rollup";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const [code, types] = packageConfig({ entries: { index: "src/index.ts" } });

// The default tracer and meter are named with the version installed (src/scope.ts).
code.plugins.push({
  name: "vclm-otel-version",
  transform: (source, id) =>
    id.endsWith("/src/scope.ts") ? source.replace(`VERSION = "0.0.0-dev"`, `VERSION = ${JSON.stringify(version)}`) : null,
});

export default [code, types];
