// Bundles an entry point into dist/ without type checking (that is `npm run typecheck`'s
// job, once): a run then costs one node start-up and one file read instead of
// transpiling hundreds of modules every time.
//
//   node scripts/build.mjs                       # main.ts -> dist/main.js (synth)
//   node scripts/build.mjs plan-report           # tools/plan-report/main.ts -> dist/plan-report.js
//   node scripts/build.mjs stacks                # tools/stacks/main.ts -> dist/stacks.js
//   node scripts/build.mjs <entry.ts> <out.js>   # any entry with the same options (the benchmark's programs)
import * as path from "node:path";
import { build } from "esbuild";

/** cdktf's per-token stack capture, replaced by scripts/shims/token-stack-trace.js (see there). */
const tokenStackTraceShim = {
  name: "token-stack-trace-shim",
  setup(esbuild) {
    esbuild.onResolve({ filter: /[\\/]stack-trace$/ }, (args) =>
      args.importer.includes(`${path.sep}cdktf${path.sep}lib${path.sep}`)
        ? { path: path.resolve("scripts/shims/token-stack-trace.js") }
        : undefined,
    );
  },
};

const ENTRIES = {
  main: "main.ts",
  "plan-report": "tools/plan-report/main.ts",
  stacks: "tools/stacks/main.ts",
};

const [first = "main", second] = process.argv.slice(2);
let entry;
let outfile;
if (second !== undefined) {
  [entry, outfile] = [first, second];
} else if (first in ENTRIES) {
  [entry, outfile] = [ENTRIES[first], `dist/${first}.js`];
} else {
  console.error(`build: unknown entry "${first}"; one of ${Object.keys(ENTRIES).join(", ")}, or <entry> <outfile>`);
  process.exit(1);
}

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [tokenStackTraceShim],
});
