import { resolve } from "node:path";
import { packageConfig } from "@vclm/tools/rollup";

// The server and edge variants that package.json's "imports" choose between are built beside the index.
const [js, dts] = packageConfig({
  entries: {
    index: "src/index.ts",
    internal: "src/internal.ts",
    "sts/index": "src/sts/index.ts",
    "runtime/files.server": "src/runtime/files.server.ts",
    "runtime/files.edge": "src/runtime/files.edge.ts",
    "credentials/client-default.server": "src/credentials/client-default.server.ts",
    "errors/network-cause.server": "src/errors/network-cause.server.ts",
    "errors/network-cause.edge": "src/errors/network-cause.edge.ts",
    "credentials/client-default.edge": "src/credentials/client-default.edge.ts",
  },
});
// "./internal" (unstable, for the vclm packages) has whole declarations of its own.
const internal = { ...dts, input: { internal: "src/internal.ts" } };
// "./sts" has declarations of its own that take core's types from ./index.js, so the two share one
// VclmClient and Operation, and each .d.ts stands alone (no shared chunk, which Deno cannot resolve).
const index = resolve("dist/index.js");
const coreFromIndex = {
  name: "core-from-index",
  resolveId: (source, importer) => (importer?.includes("/src/sts/") && source.startsWith("../") ? { id: index, external: true } : null),
};
const sts = { ...dts, input: { sts: "src/sts/index.ts" }, output: { ...dts.output, paths: { [index]: "./index.js" } } };
export default [js, dts, internal, { ...sts, plugins: [coreFromIndex, ...dts.plugins] }];
