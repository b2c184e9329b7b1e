import { packageConfig } from "@vclm/tools/rollup";

const entries = { index: "src/index.ts", node: "src/node.ts", cli: "src/cli.ts" };
// Three public entry points, three declaration files.
const [js, dts] = packageConfig({ entries });
export default [js, { ...dts, input: entries }];
