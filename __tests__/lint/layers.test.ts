import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyProject } from "../../scripts/project-copy";

// The lint rules that keep imports one way, run on throwaway files placed in the layers
// they test: a circle anywhere, and a low layer importing a higher one, must be refused.
// The files go into a copy of the project, never into the working tree that type checking
// and lint read meanwhile, and one lint run checks the files of every case.

const ROOT = path.join(__dirname, "..", "..");

const CASES = {
  typeCycle: {
    "core/__lint_cycle_a.ts": 'import { b } from "./__lint_cycle_b";\nexport const a = (): number => b + 1;\n',
    "core/__lint_cycle_b.ts": 'import type { a } from "./__lint_cycle_a";\nexport const b = 1;\nexport type A = typeof a;\n',
  },
  valueCycle: {
    "core/__lint_cycle_c.ts": 'import { d } from "./__lint_cycle_d";\nexport const c = (): number => d + 1;\n',
    "core/__lint_cycle_d.ts": 'import { c } from "./__lint_cycle_c";\nexport const d = 1;\nexport const e = c;\n',
  },
  sideEffectCycle: {
    "core/__lint_cycle_e.ts": 'import "./__lint_cycle_f";\nexport const e = 1;\n',
    "core/__lint_cycle_f.ts": 'export const f = (): number => (require("./__lint_cycle_e") as { e: number }).e;\n',
  },
  upward: {
    "core/__lint_upward.ts": 'import type { EnvironmentConfig } from "../environments/types";\nexport type E = EnvironmentConfig;\n',
    "constructs/__lint_upward.ts": 'import { ENVIRONMENTS } from "../environments";\nexport const n = ENVIRONMENTS.length;\n',
  },
  downward: {
    "constructs/__lint_downward.ts": 'import { majorityOf } from "../core/ha-rules";\nexport const quorum = majorityOf(3);\n',
  },
};

let copy: string;
let messages: string[];

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
  const run = spawnSync(process.execPath, ["-e", script, ...files], { cwd: copy, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
  if (results.length !== files.length) throw new Error(`ESLint linted ${results.length} of the ${files.length} files: ${run.stdout}`);
  return results.flatMap((result) => result.messages.map((message) => `${path.relative(copy, result.filePath)}: ${message.ruleId}`));
}

/** The messages about the files of one case, in the order the files are listed. */
function lintedCase(files: Record<string, string>): string[] {
  return Object.keys(files).flatMap((file) => messages.filter((message) => message.startsWith(`${file}: `)));
}

beforeAll(() => {
  copy = copyProject(ROOT, fs.mkdtempSync(path.join(os.tmpdir(), "platform-lint-")));
  const written = Object.assign({}, ...Object.values(CASES)) as Record<string, string>;
  for (const [file, text] of Object.entries(written)) fs.writeFileSync(path.join(copy, file), text);
  messages = lint(Object.keys(written));
}, 30_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test("fails when two modules import each other, if only for a type", () => {
  expect(lintedCase(CASES.typeCycle)).toEqual([
    "core/__lint_cycle_a.ts: platform/no-import-cycle",
    "core/__lint_cycle_b.ts: platform/no-import-cycle",
  ]);
});

test("fails when two modules import each other's values, which node would load half-initialised", () => {
  expect(lintedCase(CASES.valueCycle)).toEqual([
    "core/__lint_cycle_c.ts: platform/no-import-cycle",
    "core/__lint_cycle_d.ts: platform/no-import-cycle",
  ]);
});

test("fails when the circle goes through a side-effect import and a require()", () => {
  expect(lintedCase(CASES.sideEffectCycle)).toEqual([
    "core/__lint_cycle_e.ts: platform/no-import-cycle",
    "core/__lint_cycle_f.ts: platform/no-import-cycle",
    "core/__lint_cycle_f.ts: @typescript-eslint/no-require-imports",
  ]);
});

test("fails when a lower layer imports a higher one", () => {
  expect(lintedCase(CASES.upward)).toEqual([
    "core/__lint_upward.ts: import-x/no-restricted-paths",
    "constructs/__lint_upward.ts: import-x/no-restricted-paths",
  ]);
});

test("passes a downward import", () => {
  expect(lintedCase(CASES.downward)).toEqual([]);
});
