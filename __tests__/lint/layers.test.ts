import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The lint rules that keep imports one way, run on throwaway files placed in the layers
// they test: a circle anywhere, and a low layer importing a higher one, must be refused.
// One ESLint run over every case: each run costs a node start and the plugins' load.

const ROOT = path.join(__dirname, "..", "..");

/** Each case's files, by path below the project root. */
const CASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  typeCycle: {
    "core/__lint_cycle_a.ts": 'import { b } from "./__lint_cycle_b";\nexport const a = (): number => b + 1;\n',
    "core/__lint_cycle_b.ts": 'import type { a } from "./__lint_cycle_a";\nexport const b = 1;\nexport type A = typeof a;\n',
  },
  valueCycle: {
    "core/__lint_cycle_c.ts": 'import { d } from "./__lint_cycle_d";\nexport const c = (): number => d + 1;\n',
    "core/__lint_cycle_d.ts": 'import { c } from "./__lint_cycle_c";\nexport const d = 1;\nexport const e = c;\n',
  },
  upward: {
    "core/__lint_upward.ts": 'import type { EnvironmentConfig } from "../environments/types";\nexport type E = EnvironmentConfig;\n',
    "constructs/__lint_upward.ts": 'import { ENVIRONMENTS } from "../environments";\nexport const n = ENVIRONMENTS.length;\n',
  },
  downward: {
    "constructs/__lint_downward.ts": 'import { majorityOf } from "../core/ha-rules";\nexport const quorum = majorityOf(3);\n',
  },
};

let findings: string[] = [];

beforeAll(() => {
  const files = Object.values(CASES).flatMap((files) => Object.entries(files));
  for (const [file, text] of files) fs.writeFileSync(path.join(ROOT, file), text);
  try {
    findings = lint(files.map(([file]) => path.join(ROOT, file)));
  } finally {
    for (const [file] of files) fs.rmSync(path.join(ROOT, file), { force: true });
  }
}, 30_000);

/**
 * The project's config without type information (these rules need none, and a program costs
 * seconds), in a node process of its own: eslint.config.mjs is an ES module jest cannot load.
 */
function lint(files: string[]): string[] {
  const script = `
    const { ESLint } = require("eslint");
    const eslint = new ESLint({
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { "@typescript-eslint/no-floating-promises": "off", "@typescript-eslint/no-misused-promises": "off" },
      },
    });
    eslint.lintFiles(process.argv.slice(1)).then((results) => console.log(JSON.stringify(results)));`;
  const run = spawnSync(process.execPath, ["-e", script, ...files], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
  return results.flatMap((result) => result.messages.map((message) => `${path.relative(ROOT, result.filePath)}: ${message.ruleId}`));
}

/** What the run reported for one case's files. */
function reported(name: keyof typeof CASES): string[] {
  const files = Object.keys(CASES[name]);
  return findings.filter((finding) => files.includes(finding.split(": ")[0])).sort();
}

test("fails when two modules import each other, if only for a type", () => {
  expect(reported("typeCycle")).toEqual([
    "core/__lint_cycle_a.ts: platform/no-import-cycle",
    "core/__lint_cycle_b.ts: platform/no-import-cycle",
  ]);
});

test("fails when two modules import each other's values, which node would load half-initialised", () => {
  expect(reported("valueCycle")).toEqual([
    "core/__lint_cycle_c.ts: import-x/no-cycle",
    "core/__lint_cycle_c.ts: platform/no-import-cycle",
    "core/__lint_cycle_d.ts: import-x/no-cycle",
    "core/__lint_cycle_d.ts: platform/no-import-cycle",
  ]);
});

test("fails when a lower layer imports a higher one", () => {
  expect(reported("upward")).toEqual([
    "constructs/__lint_upward.ts: import-x/no-restricted-paths",
    "core/__lint_upward.ts: import-x/no-restricted-paths",
  ]);
});

test("passes a downward import", () => {
  expect(reported("downward")).toEqual([]);
});
