// Bundles main.ts into dist/main.js without type checking (that is `npm run typecheck`'s
// job, once): synth then costs one node start-up and one file read instead of
// transpiling hundreds of modules on every run.
import { build } from "esbuild";

await build({
  entryPoints: ["main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
});
