// Bundles an entry point into dist/ without type checking (that is `npm run typecheck`'s
// job, once): a run then costs one node start-up and one file read instead of
// transpiling hundreds of modules every time.
//
//   node scripts/build.mjs               # main.ts -> dist/main.js (synth)
//   node scripts/build.mjs plan-report   # tools/plan-report/main.ts -> dist/plan-report.js
import { build } from "esbuild";

const ENTRIES = {
  main: "main.ts",
  "plan-report": "tools/plan-report/main.ts",
};

const name = process.argv[2] ?? "main";
if (!(name in ENTRIES)) {
  console.error(`build: unknown entry "${name}"; one of ${Object.keys(ENTRIES).join(", ")}`);
  process.exit(1);
}

await build({
  entryPoints: [ENTRIES[name]],
  outfile: `dist/${name}.js`,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
});
