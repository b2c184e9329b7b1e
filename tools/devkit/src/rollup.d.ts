import type { RollupOptions } from "rollup";
/** The rollup config of a vclm package: ESM per entry, one bundled .d.ts. */
export function packageConfig(options: { entries: Record<string, string>; types?: string; tsconfig?: string }): RollupOptions[];
