import { packageConfig } from "@vclm/tools/rollup";

const entries = { index: "src/index.ts", node: "src/node.ts", cli: "src/cli.ts" };
const [js, dts] = packageConfig({ entries });
// One declaration file per entry, each standing alone: a shared .d.ts chunk is one Deno cannot resolve.
export default [js, ...Object.entries(entries).map(([name, input]) => ({ ...dts, input: { [name]: input } }))];
