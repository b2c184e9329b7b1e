import { packageConfig } from "@vclm/tools/rollup";

// The server and edge variants that package.json's "imports" choose between are built beside the index.
export default packageConfig({
  entries: {
    index: "src/index.ts",
    "runtime/files.server": "src/runtime/files.server.ts",
    "runtime/files.edge": "src/runtime/files.edge.ts",
    "credentials/client-default.server": "src/credentials/client-default.server.ts",
    "credentials/client-default.edge": "src/credentials/client-default.edge.ts",
  },
});
