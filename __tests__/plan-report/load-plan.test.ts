import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPlans, parsePlan, PlanInputError, readPlan } from "../../tools/plan-report/load-plan";
import { fixture } from "./support";

function problemOf(file: string): string {
  const result = readPlan(file);
  if (typeof result !== "string") throw new Error(`${file} was accepted as a plan`);
  return result;
}

describe("reading a plan", () => {
  test.each(["every-action.json", "no-changes.json", "create-only.json", "kubernetes-stateful.json", "docker-volumes.json", "drift.json"])(
    "accepts %s",
    (name) => {
      const plan = readPlan(fixture(name));
      expect(typeof plan).toBe("object");
    },
  );

  test.each(["1.0", "1.1", "1.2", "1.9"])("accepts format_version %s (minor versions only add properties)", (version) => {
    const plan = parsePlan(Buffer.from(JSON.stringify({ format_version: version, planned_values: {} })));
    expect(plan).toEqual({ format_version: version, planned_values: {} });
  });
});

describe("bad input gets an error naming the problem and what was expected", () => {
  const expected = "expected the output of `terraform show -json <planfile>`";

  test("fails when the file does not exist", () => {
    expect(problemOf(fixture("no-such-plan.json"))).toBe(`cannot be read (no such file); ${expected}`);
  });

  test("fails when the path is a directory", () => {
    expect(problemOf(os.tmpdir())).toMatch(/^cannot be read \(it is a directory\)/);
  });

  test("fails when the file is empty", () => {
    expect(parsePlan(Buffer.from("  \n"))).toBe(`is empty; ${expected}`);
  });

  test("fails when the file is Terraform's human-readable plan, not JSON", () => {
    const problem = problemOf(fixture("bad-plan-text.txt"));
    expect(problem).toMatch(/^is not JSON \(.+\); it is Terraform's human-readable plan output; expected/);
  });

  test("fails when the file is the binary plan itself", () => {
    expect(problemOf(fixture("bad-binary-plan.tfplan"))).toMatch(
      /^is a binary plan file \(from `terraform plan -out`\), not its JSON; run `terraform show -json <planfile> > plan.json`/,
    );
  });

  test("fails when the file is a state file", () => {
    expect(problemOf(fixture("bad-raw-state.json"))).toBe(`is a Terraform state file (state version 4), not a plan; ${expected}`);
  });

  test("fails when the file is the JSON of a state, not of a plan", () => {
    expect(problemOf(fixture("bad-state-show.json"))).toBe(
      `is the JSON of a state (\`terraform show -json\` without a plan file): it has no planned_values or resource_changes; ${expected}`,
    );
  });

  test("fails when format_version is not 1.x", () => {
    expect(problemOf(fixture("bad-format-version.json"))).toBe(
      `has format_version "2.0", which this tool does not read (it reads 1.x, written by Terraform 1.x); ${expected}`,
    );
  });

  test("fails when there is no format_version", () => {
    expect(parsePlan(Buffer.from('{"resource_changes": []}'))).toBe(
      `has no format_version, so it is not Terraform's plan JSON; ${expected}`,
    );
  });

  test("fails when the JSON is not an object", () => {
    expect(parsePlan(Buffer.from("[1, 2]"))).toBe(`is an array in JSON, not an object; ${expected}`);
  });

  test("fails when resource changes lack what the report reads, naming each one", () => {
    expect(problemOf(fixture("bad-malformed.json"))).toBe(
      "is not a well-formed plan: resource_changes[0].change is missing, not an object; " +
        `resource_changes[1].change.actions is "update", not a list of action names; ${expected}`,
    );
  });

  test("fails when marks, replace paths, a previous address or an import are not what Terraform writes", () => {
    const plan = {
      format_version: "1.2",
      planned_values: {},
      resource_drift: [
        {
          address: "a.b",
          type: "a",
          name: "b",
          previous_address: 7,
          change: { actions: ["update"], before: {}, after: {}, after_unknown: { x: "yes" }, importing: "id" },
        },
      ],
      resource_changes: [{ address: "a.c", type: "a", name: "c", change: { actions: ["delete", "create"], replace_paths: ["name"] } }],
    };
    expect(parsePlan(Buffer.from(JSON.stringify(plan)))).toBe(
      "is not a well-formed plan: resource_changes[0].change.replace_paths is not a list of attribute paths; " +
        "resource_drift[0].change.after_unknown is not made of true, false, lists and objects; " +
        "resource_drift[0].previous_address is a number, not a string; and 1 more; " +
        expected,
    );
  });

  test("reports every bad file at once, each with its path and stack, and loads none", () => {
    const files = {
      dev: fixture("every-action.json"),
      staging: fixture("missing.json"),
      production: fixture("bad-raw-state.json"),
    };
    let caught: unknown;
    try {
      loadPlans(Object.entries(files).map(([stack, file]) => ({ stack, file })));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlanInputError);
    const problems = (caught as PlanInputError).problems;
    expect(problems).toEqual([
      `${files.staging} (stack staging): cannot be read (no such file); ${expected}`,
      `${files.production} (stack production): is a Terraform state file (state version 4), not a plan; ${expected}`,
    ]);
    expect((caught as PlanInputError).message).toMatch(/^2 input problems; nothing was reported:\n {2}/);
  });

  test("an unreadable file is reported, not thrown past the caller", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
    try {
      const file = path.join(dir, "plan.json");
      fs.writeFileSync(file, "{");
      expect(problemOf(file)).toMatch(/^is not JSON \(.+\); expected/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
