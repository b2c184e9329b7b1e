import { packageConfig } from "@vclm/tools/rollup";

// The server and edge variants that package.json's "imports" choose between are built beside the index.
const config = packageConfig({
  entries: {
    index: "src/index.ts",
    internal: "src/internal.ts",
    "runtime/files.server": "src/runtime/files.server.ts",
    "runtime/files.edge": "src/runtime/files.edge.ts",
    "credentials/client-default.server": "src/credentials/client-default.server.ts",
    "credentials/client-default.edge": "src/credentials/client-default.edge.ts",
  },
});
// Two public entry points (the second unstable, for the vclm packages), two declaration files,
// each whole: a shared declaration chunk would be imported as "./chunk.js", which Deno cannot
// type-check (it has no .js beside the .d.ts).
const [js, dts] = config;
export default [js, { ...dts, input: { index: "src/index.ts" } }, { ...dts, input: { internal: "src/internal.ts" } }];
