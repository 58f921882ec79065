import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The lint rules that keep imports one way, run on throwaway files placed in the layers
// they test: a circle anywhere, and a low layer importing a higher one, must be refused.

const ROOT = path.join(__dirname, "..", "..");
const written: string[] = [];

function write(relative: string, text: string): string {
  const file = path.join(ROOT, relative);
  fs.writeFileSync(file, text);
  written.push(file);
  return file;
}

afterEach(() => {
  for (const file of written.splice(0)) fs.rmSync(file, { force: true });
});

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

test("fails when two modules import each other, if only for a type", () => {
  const a = write("core/__lint_cycle_a.ts", 'import { b } from "./__lint_cycle_b";\nexport const a = (): number => b + 1;\n');
  const b = write("core/__lint_cycle_b.ts", 'import type { a } from "./__lint_cycle_a";\nexport const b = 1;\nexport type A = typeof a;\n');
  expect(lint([a, b])).toEqual(["core/__lint_cycle_a.ts: platform/no-import-cycle", "core/__lint_cycle_b.ts: platform/no-import-cycle"]);
}, 20_000);

test("fails when two modules import each other's values, which node would load half-initialised", () => {
  const a = write("core/__lint_cycle_c.ts", 'import { d } from "./__lint_cycle_d";\nexport const c = (): number => d + 1;\n');
  const d = write("core/__lint_cycle_d.ts", 'import { c } from "./__lint_cycle_c";\nexport const d = 1;\nexport const e = c;\n');
  expect(lint([a, d])).toEqual([
    "core/__lint_cycle_c.ts: import-x/no-cycle",
    "core/__lint_cycle_c.ts: platform/no-import-cycle",
    "core/__lint_cycle_d.ts: import-x/no-cycle",
    "core/__lint_cycle_d.ts: platform/no-import-cycle",
  ]);
}, 20_000);

test("fails when a lower layer imports a higher one", () => {
  const low = write(
    "core/__lint_upward.ts",
    'import type { EnvironmentConfig } from "../environments/types";\nexport type E = EnvironmentConfig;\n',
  );
  const construct = write(
    "constructs/__lint_upward.ts",
    'import { ENVIRONMENTS } from "../environments";\nexport const n = ENVIRONMENTS.length;\n',
  );
  expect(lint([low, construct])).toEqual([
    "core/__lint_upward.ts: import-x/no-restricted-paths",
    "constructs/__lint_upward.ts: import-x/no-restricted-paths",
  ]);
}, 20_000);

test("passes a downward import", () => {
  const ok = write(
    "constructs/__lint_downward.ts",
    'import { majorityOf } from "../core/ha-rules";\nexport const quorum = majorityOf(3);\n',
  );
  expect(lint([ok])).toEqual([]);
}, 20_000);
