/**
 * The rule for tests that need Terraform: under CI a missing `terraform` fails
 * the run, on a laptop it skips with a message. Checked on the rule itself and
 * on the state test, run by jest in a child process without Terraform on PATH.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCi, toolDecision } from "./ci";

const ROOT = path.join(__dirname, "..", "..");

describe("CI is set", () => {
  test.each(["true", "1", "yes", "TRUE", "woodpecker", " true "])("when CI=%j", (value) => {
    expect(isCi({ CI: value })).toBe(true);
  });

  test.each([undefined, "", "  ", "0", "false", "False", " FALSE "])("not when CI=%j", (value) => {
    expect(isCi({ CI: value })).toBe(false);
  });
});

describe("a missing tool", () => {
  const requirement = {
    test: "the real state test",
    tool: "terraform",
    problem: "is not on PATH (spawnSync terraform ENOENT)",
    install: "Install Terraform.",
  };

  test("fails the test under CI, saying what is missing and how to get it", () => {
    expect(toolDecision(requirement, { CI: "true" })).toEqual({
      action: "fail",
      message:
        'CI is set (CI="true") but `terraform` is not on PATH (spawnSync terraform ENOENT): the real state test ' +
        "cannot run, and under CI it fails instead of skipping unnoticed. Install Terraform.",
    });
  });

  test("skips it on a laptop, with a message", () => {
    expect(toolDecision(requirement, {})).toEqual({
      action: "skip",
      message: "SKIPPED the real state test: `terraform` is not on PATH (spawnSync terraform ENOENT). Install Terraform.",
    });
    expect(toolDecision(requirement, { CI: "false" }).action).toBe("skip");
  });

  test("a tool that is there runs, CI or not", () => {
    expect(toolDecision({ ...requirement, problem: undefined }, { CI: "true" })).toEqual({ action: "run" });
    expect(toolDecision({ ...requirement, problem: undefined }, {})).toEqual({ action: "run" });
  });
});

describe("the state test without Terraform on PATH", () => {
  let bin: string;

  beforeAll(() => {
    // PATH holds node and nothing else, so `terraform` cannot be found even where it is installed.
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "no-terraform-"));
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
  });

  afterAll(() => {
    fs.rmSync(bin, { recursive: true, force: true });
  });

  function runStateTest(env: Record<string, string>) {
    const run = spawnSync(
      process.execPath,
      [require.resolve("jest/bin/jest"), "--ci", "--runTestsByPath", "__tests__/state/s3-state.test.ts"],
      { cwd: ROOT, encoding: "utf8", env: { PATH: bin, HOME: bin, ...env }, timeout: 60_000 },
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  test("fails under CI, with the message", () => {
    const run = runStateTest({ CI: "true" });
    expect(run.status).toBe(1);
    expect(run.output).toContain("✕ remote state with the real Terraform: Terraform is installed");
    expect(run.output).toContain('CI is set (CI="true") but `terraform` is not on PATH (spawnSync terraform ENOENT)');
  });

  test("skips on a laptop, saying so", () => {
    const run = runStateTest({});
    expect(run.status).toBe(0);
    expect(run.output).toContain("SKIPPED the real state test: `terraform` is not on PATH");
    expect(run.output).toMatch(/Tests:\s+2 skipped, 2 total/);
  });
});
