// The one rollup config of every vclm package: ESM JavaScript per entry, and one bundled .d.ts.
import { rmSync } from "node:fs";
import typescript from "@rollup/plugin-typescript";
import { dts } from "rollup-plugin-dts";

/**
 * @param {{ entries: Record<string, string>, types?: string, tsconfig?: string }} options
 *   entries: output name -> source file (e.g. { index: "src/index.ts", node: "src/node.ts" });
 *   types: the entry whose declarations become dist/index.d.ts (default src/index.ts).
 * @returns {import("rollup").RollupOptions[]}
 */
export function packageConfig({ entries, types = "src/index.ts", tsconfig = "tsconfig.build.json" }) {
  // Start from an empty dist, so no stale chunk ships.
  rmSync("dist", { recursive: true, force: true });
  const external = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0");
  return [
    {
      input: entries,
      external,
      // One module per source file, so bundlers drop whole unused modules ("sideEffects": false).
      output: { dir: "dist", format: "esm", preserveModules: true, preserveModulesRoot: "src", entryFileNames: "[name].js" },
      plugins: [
        typescript({
          tsconfig,
          noEmitOnError: true,
          rootDir: "src",
          outDir: "dist",
          declaration: false,
          isolatedDeclarations: false,
          noEmit: false,
        }),
      ],
      onwarn(warning) {
        // Type errors arrive as warnings: a build with one must fail, not ship.
        throw new Error(`${warning.plugin ?? "rollup"}: ${warning.message}`);
      },
    },
    {
      input: { index: types },
      external,
      output: { dir: "dist", format: "esm" },
      plugins: [dts({ tsconfig })],
    },
  ];
}
