// Bundles main.ts into dist/main.js without type checking (that is `npm run typecheck`'s
// job, once): synth then costs one node start-up and one file read instead of
// transpiling hundreds of modules on every run.
// `node scripts/build.mjs <entry> <outfile>` bundles another entry the same way
// (the benchmark's generated programs), so there is one set of build options.
import { build } from "esbuild";

const [entry = "main.ts", outfile = "dist/main.js"] = process.argv.slice(2);

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
});
