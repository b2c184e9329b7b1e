import { packageConfig } from "@vclm/tools/rollup";

export default packageConfig({ entries: { index: "src/index.ts" } });
