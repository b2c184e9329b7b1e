import { packageConfig } from "@vclm/tools/rollup";

const config = packageConfig({ entries: { index: "src/index.ts", node: "src/node.ts" }, tsconfig: "tsconfig.build.json" });
// Two public entry points, two declaration files.
const [js, dts] = config;
export default [js, { ...dts, input: { index: "src/index.ts", node: "src/node.ts" } }];
