/**
 * Structural facts of the CI workflows: documented actions and inputs only,
 * one concurrency group per stack wherever Terraform runs, approvals before
 * staging and production, and the secrets the README documents.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS } from "../../environments";
import {
  allUses,
  isMap,
  list,
  localAction,
  map,
  ROOT,
  Step,
  steps,
  text,
  triggers,
  workflow,
  workflowFiles,
  WORKFLOWS_DIR,
  Yaml,
} from "./workflow-files";

/** The inputs each action documents in its action.yml at the major version used. */
const DOCUMENTED_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "actions/checkout@v4": [
    "repository",
    "ref",
    "token",
    "ssh-key",
    "ssh-known-hosts",
    "ssh-strict",
    "ssh-user",
    "persist-credentials",
    "path",
    "clean",
    "filter",
    "sparse-checkout",
    "sparse-checkout-cone-mode",
    "fetch-depth",
    "fetch-tags",
    "show-progress",
    "lfs",
    "submodules",
    "set-safe-directory",
    "github-server-url",
  ],
  "actions/setup-node@v4": [
    "node-version",
    "node-version-file",
    "architecture",
    "check-latest",
    "registry-url",
    "scope",
    "token",
    "cache",
    "cache-dependency-path",
    "always-auth",
    "mirror",
    "mirror-token",
  ],
  "hashicorp/setup-terraform@v3": [
    "cli_config_credentials_hostname",
    "cli_config_credentials_token",
    "terraform_version",
    "terraform_wrapper",
  ],
  "actions/upload-artifact@v4": [
    "name",
    "path",
    "if-no-files-found",
    "retention-days",
    "compression-level",
    "overwrite",
    "include-hidden-files",
  ],
  "actions/download-artifact@v4": ["name", "artifact-ids", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id"],
};

/** Stacks with remote state are the ones CI plans; `local` lives on a laptop. */
const CI_STACKS = ENVIRONMENTS.filter((source) => source.config.state.backend === "s3").map((source) => source.config.name);

/** The output of each workflow's `stacks` job: the JSON list `npm run -s stacks` prints. */
const STACKS_OUTPUT = "${{ needs.stacks.outputs.stacks }}";

/** A report runs after failed plans too (saying which stack has none), but not after skipped or cancelled ones. */
const REPORT_EVEN_IF_A_PLAN_FAILED = "always() && (needs.plan.result == 'success' || needs.plan.result == 'failure')";

function job(file: string, name: string): Yaml {
  return map(map(workflow(file), "jobs"), name);
}

function runScripts(stepsOf: readonly Step[]): string {
  return stepsOf.flatMap((step) => (step.run === undefined ? [] : [step.run])).join("\n");
}

/** The workflows that plan: each calls plan-stacks.yml. */
function planningWorkflows(): string[] {
  return workflowFiles().filter((file) =>
    Object.values(map(workflow(file), "jobs")).some((spec) => isMap(spec) && spec.uses === "./.github/workflows/plan-stacks.yml"),
  );
}

/**
 * A report job passes `<stack>=plans/plan-<stack>/plan.json` for every stack of
 * the stacks job's JSON, whether or not its artifact exists: a stack whose plan
 * failed must show as "no plan" (--allow-missing), not vanish from the report.
 */
function expectPlansFromStacks(report: Yaml): void {
  const step = steps(report).find((candidate) => candidate.run?.includes("npm run -s plan-report"));
  expect(step?.env.STACKS).toBe(STACKS_OUTPUT);
  const script = step?.run ?? "";
  expect(script).toContain(`mapfile -t plans < <(jq -r '.[] | "\\(.)=plans/plan-\\(.)/plan.json"' <<<"$STACKS")`);
  expect(script).toMatch(/npm run -s plan-report -- [^]*"\$\{plans\[@\]\}"/);
}

/** The validation script of the stacks step (`node -e '…'`), to run on sample outputs. */
function stacksCheckScript(file: string): string {
  const run = steps(job(file, "stacks")).find((step) => step.id === "stacks")?.run ?? "";
  const script = run.match(/node -e '([^']*)'/)?.[1];
  if (script === undefined) throw new Error(`${file} jobs.stacks: no node -e '…' check of the list`);
  return script;
}

/** The declared inputs of a local action or reusable workflow, with whether each is required. */
function declaredInputs(uses: string): Record<string, boolean> {
  const target = path.join(ROOT, uses);
  const file = uses.includes("/workflows/") ? target : path.join(target, "action.yml");
  expect(fs.existsSync(file)).toBe(true);
  const parsed = uses.includes("/workflows/") ? workflow(path.basename(file)) : localAction(path.basename(target));
  const owner = uses.includes("/workflows/") ? map(triggers(parsed), "workflow_call") : parsed;
  const inputs = isMap(owner.inputs) ? owner.inputs : {};
  return Object.fromEntries(
    Object.entries(inputs).map(([name, spec]) => [name, isMap(spec) && spec.required === true && spec.default === undefined]),
  );
}

describe("every workflow", () => {
  test.each(workflowFiles())("%s parses, has a name and triggers, and reads the repository only by default", (name) => {
    const file = workflow(name);
    expect(typeof file.name).toBe("string");
    expect(Object.keys(triggers(file)).length).toBeGreaterThan(0);
    expect(map(file, "permissions")).toEqual({ contents: "read" });
  });

  test("uses only the well-known actions, with inputs they document, or local ones with their declared inputs", () => {
    const uses = allUses();
    expect(uses.length).toBeGreaterThan(10);
    for (const { where, uses: action, with: given } of uses) {
      if (action.startsWith("./")) {
        const declared = declaredInputs(action);
        for (const input of Object.keys(given)) {
          expect([where, input, Object.keys(declared).includes(input)]).toEqual([where, input, true]);
        }
        for (const [input, required] of Object.entries(declared)) {
          if (required) expect([where, input, input in given]).toEqual([where, input, true]);
        }
      } else {
        expect([where, action, action in DOCUMENTED_INPUTS]).toEqual([where, action, true]);
        for (const input of Object.keys(given)) {
          expect([where, action, input, DOCUMENTED_INPUTS[action].includes(input)]).toEqual([where, action, input, true]);
        }
      }
    }
  });

  test("Terraform is 1.11.4 wherever it is installed, without the wrapper that rewrites its output", () => {
    const setups = allUses().filter((use) => use.uses === "hashicorp/setup-terraform@v3");
    expect(setups.map((use) => use.where)).toEqual(["pull-request.yml jobs.test", ".github/actions/terraform"]);
    for (const { where, with: given } of setups) {
      expect([where, given]).toEqual([where, { terraform_version: "1.11.4", terraform_wrapper: false }]);
    }
  });

  test("Node is 20 with the npm cache", () => {
    const setup = steps(map(localAction("node"), "runs")).find((step) => step.uses === "actions/setup-node@v4");
    expect(setup?.with).toEqual({ "node-version": 20, cache: "npm" });
  });
});

describe("one concurrency group per stack", () => {
  /** Every job, in every workflow, whose steps run Terraform against a stack. */
  const terraformJobs = workflowFiles().flatMap((file) =>
    Object.entries(map(workflow(file), "jobs"))
      .filter(([, spec]) => isMap(spec) && Array.isArray(spec.steps))
      .filter(([name]) => steps(job(file, name)).some((step) => step.uses === "./.github/actions/terraform"))
      .map(([name]) => ({ file, name })),
  );

  test("Terraform runs in the plan and apply jobs, and nowhere else", () => {
    expect(terraformJobs).toEqual([
      { file: "apply-stack.yml", name: "apply" },
      { file: "plan-stacks.yml", name: "plan" },
    ]);
  });

  test.each(terraformJobs)("$file $name: group terraform-<stack>, never cancelling a run in progress", ({ file, name }) => {
    const concurrency = map(job(file, name), "concurrency");
    expect(concurrency.group).toMatch(/^terraform-\$\{\{ (matrix|inputs)\.stack \}\}$/);
    expect(concurrency["cancel-in-progress"]).toBe(false);
  });

  test("the state lock waits instead of failing, as a second guard", () => {
    for (const { file, name } of terraformJobs) {
      expect(runScripts(steps(job(file, name)))).toMatch(/terraform (plan|apply) [^\n]*-lock-timeout=10m/);
    }
  });
});

describe("the stacks come from the program, never from a list in a workflow", () => {
  /** Every environment's name, CI's or not: none of them is written in a workflow or action. */
  const STACK_NAMES = ENVIRONMENTS.map((source) => source.config.name);

  /** Every key and string value of a parsed YAML file (comments are not part of it). */
  function scalars(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(scalars);
    if (isMap(value)) return Object.entries(value).flatMap(([key, inner]) => [key, ...scalars(inner)]);
    return [];
  }

  const files = [
    ...workflowFiles().map((name) => ({ name: `.github/workflows/${name}`, yaml: workflow(name) })),
    ...fs
      .readdirSync(path.join(ROOT, ".github", "actions"))
      .map((name) => ({ name: `.github/actions/${name}/action.yml`, yaml: localAction(name) })),
  ];

  test.each(files)("$name names no stack", ({ yaml }) => {
    expect(STACK_NAMES).toEqual(["local", "dev", "staging", "production"]);
    const named = scalars(yaml).filter((value) =>
      STACK_NAMES.some((stack) => new RegExp(`(^|[^A-Za-z0-9_])${stack}([^A-Za-z0-9_]|$)`).test(value)),
    );
    expect(named).toEqual([]);
  });

  test("the pull-request, apply and drift workflows plan, each with a stacks job", () => {
    expect(planningWorkflows()).toEqual(["apply.yml", "drift.yml", "pull-request.yml"]);
  });

  test.each(planningWorkflows())(
    "%s: a stacks job runs `npm run -s stacks` after the node setup and exposes its JSON as an output",
    (file) => {
      const stacks = job(file, "stacks");
      expect(stacks.outputs).toEqual({ stacks: "${{ steps.stacks.outputs.stacks }}" });
      const jobSteps = steps(stacks);
      expect(jobSteps.map((step) => step.uses ?? step.id)).toEqual(["actions/checkout@v4", "./.github/actions/node", "stacks"]);
      const run = jobSteps[2].run ?? "";
      expect(run.split("\n")[0]).toBe('json="$(npm run -s stacks)"');
      expect(run.trim().split("\n").at(-1)).toBe('echo "stacks=$stacks" >> "$GITHUB_OUTPUT"');
      // The same job in every workflow that plans.
      expect(stacks).toEqual(job("pull-request.yml", "stacks"));
    },
  );

  describe("the stacks step's check of what the command printed", () => {
    const check = (printed: string) => spawnSync("node", ["-e", stacksCheckScript("pull-request.yml"), printed], { encoding: "utf8" });

    test("passes a JSON list of stack names on, as one line for $GITHUB_OUTPUT", () => {
      expect(check('["dev","staging","production"]')).toMatchObject({
        status: 0,
        stdout: '["dev","staging","production"]\n',
      });
      expect(check('[\n  "dev",\n  "staging"\n]\n')).toMatchObject({ status: 0, stdout: '["dev","staging"]\n' });
    });

    test.each([["[]"], ['{"stacks":["dev"]}'], ['["dev","$(reboot)"]'], ['["dev",7]'], ['["dev staging"]']])(
      "fails when it printed %s",
      (printed) => {
        const run = check(printed);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain(`npm run -s stacks printed ${printed}; expected a JSON list of stack names`);
      },
    );

    test("fails when it printed no JSON at all", () => {
      expect(check("dev staging production").status).not.toBe(0);
    });
  });

  test("every matrix over stacks reads a stacks job's output", () => {
    const matrices = workflowFiles().flatMap((file) =>
      Object.entries(map(workflow(file), "jobs"))
        .filter(([, spec]) => isMap(spec) && isMap(spec.strategy))
        .map(([name, spec]) => ({ file, name, spec: spec as Yaml })),
    );
    expect(matrices.map(({ file, name }) => `${file} ${name}`)).toEqual(["apply.yml apply", "plan-stacks.yml plan"]);
    for (const { file, name, spec } of matrices) {
      const matrix = map(map(spec, "strategy"), "matrix");
      if (file === "plan-stacks.yml") {
        // The reusable workflow takes the list from its caller's stacks job: required, no default to fall back on.
        expect([file, name, matrix]).toEqual([file, name, { stack: "${{ fromJSON(inputs.stacks) }}" }]);
        const input = map(map(map(triggers(workflow(file)), "workflow_call"), "inputs"), "stacks");
        expect(input).toMatchObject({ type: "string", required: true });
        expect("default" in input).toBe(false);
      } else {
        expect([file, name, matrix]).toEqual([file, name, { stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" }]);
        expect(spec.needs).toContain("stacks");
      }
    }
    for (const file of planningWorkflows()) {
      const plan = job(file, "plan");
      expect([file, plan.with]).toEqual([file, { stacks: STACKS_OUTPUT }]);
      expect([file, [plan.needs].flat()]).toEqual([file, expect.arrayContaining(["stacks"])]);
    }
  });
});

describe("pull requests", () => {
  const file = "pull-request.yml";

  test("run on pull requests to main", () => {
    expect(map(triggers(workflow(file)), "pull_request")).toEqual({ branches: ["main"] });
  });

  test("install, Terraform for the state test, then the project's test command with CI set", () => {
    const test = steps(job(file, "test"));
    expect(test.map((step) => step.uses ?? step.run)).toEqual([
      "actions/checkout@v4",
      "./.github/actions/node",
      "hashicorp/setup-terraform@v3",
      "npm test",
    ]);
    // The command .ci/run runs: the README's test command (type check, then jest), not its parts.
    const ciRun = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8").split("\n");
    expect(ciRun).toContain("npm test");
    // With CI set the state test fails, instead of skipping, when Terraform is missing (__tests__/state/ci.ts).
    expect(test[3].env).toEqual({ CI: "true", CHECKPOINT_DISABLE: "1" });
  });

  test("plan every stack the program lists, after the tests, not from forks", () => {
    const plan = job(file, "plan");
    expect(plan).toMatchObject({
      needs: ["test", "stacks"],
      uses: "./.github/workflows/plan-stacks.yml",
      with: { stacks: STACKS_OUTPUT },
      secrets: "inherit",
    });
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  test("the plan job runs init, plan -out, show -json and uploads the plan with its lock file", () => {
    const plan = steps(job("plan-stacks.yml", "plan"));
    expect(runScripts(plan)).toContain(
      "terraform plan -input=false -no-color -lock-timeout=10m -out=tfplan\nterraform show -json tfplan > plan.json",
    );
    expect(runScripts(steps(map(localAction("terraform"), "runs")))).toContain("terraform init -input=false");
    const upload = plan.find((step) => step.uses === "actions/upload-artifact@v4");
    expect(upload?.with).toMatchObject({ name: "plan-${{ matrix.stack }}", "include-hidden-files": true });
    expect(text(upload?.with, "path")).toContain("!cdktf.out/stacks/${{ matrix.stack }}/.terraform");
  });

  test("a final job posts the report with write access to comments and labels only, and labels destroys", () => {
    const report = job(file, "report");
    expect(report.needs).toEqual(["stacks", "plan"]);
    expect(report.if).toBe(REPORT_EVEN_IF_A_PLAN_FAILED);
    expect(map(report, "permissions")).toEqual({ contents: "read", "pull-requests": "write", issues: "write" });
    const script = runScripts(steps(report));
    expect(script).toContain('npm run -s plan-report -- --post --pr "$PR" --destroy-label destroys-resources');
    expect(script).toContain("--allow-missing");
    expectPlansFromStacks(report);
    expect(script).toMatch(/if \[ "\$status" -eq 2 \]; then/);
  });
});

describe("merge to main", () => {
  const file = "apply.yml";

  test("runs on pushes to main, one merge at a time", () => {
    expect(map(triggers(workflow(file)), "push")).toEqual({ branches: ["main"] });
    expect(map(workflow(file), "concurrency")).toEqual({ group: "apply-main", "cancel-in-progress": false });
  });

  test("plans the stacks the program lists, then applies them one at a time, in its order", () => {
    expect(Object.keys(map(workflow(file), "jobs"))).toEqual(["stacks", "plan", "report", "apply"]);
    expect(job(file, "plan")).toMatchObject({
      needs: "stacks",
      uses: "./.github/workflows/plan-stacks.yml",
      with: { stacks: STACKS_OUTPUT },
      secrets: "inherit",
    });
    const apply = job(file, "apply");
    expect(apply).toMatchObject({
      needs: ["stacks", "plan", "report"],
      uses: "./.github/workflows/apply-stack.yml",
      with: { stack: "${{ matrix.stack }}" },
      secrets: "inherit",
    });
    // Matrix jobs start in the list's order (dev first); one at a time, so production waits for staging;
    // fail-fast: a failed or rejected apply cancels the stacks still waiting.
    expect(map(apply, "strategy")).toEqual({
      "max-parallel": 1,
      "fail-fast": true,
      matrix: { stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" },
    });
  });

  test("each apply job is guarded by the GitHub Environment of its stack (reviewers for staging and production)", () => {
    expect(job("apply-stack.yml", "apply").environment).toBe("${{ inputs.stack }}");
  });

  test("applies the saved plan of this run, with the directory and lock file it was made with", () => {
    const apply = steps(job("apply-stack.yml", "apply"));
    const download = apply.find((step) => step.uses === "actions/download-artifact@v4");
    expect(download?.with).toEqual({ name: "plan-${{ inputs.stack }}", path: "cdktf.out/stacks/${{ inputs.stack }}" });
    expect(runScripts(apply)).toBe("terraform apply -input=false -no-color -lock-timeout=10m tfplan");
  });

  test("shows the plans to the reviewers in the run summary before they approve", () => {
    const report = job(file, "report");
    expect(report.needs).toEqual(["stacks", "plan"]);
    const script = runScripts(steps(report));
    expect(script).toContain("--fail-on never");
    expect(script).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expectPlansFromStacks(report);
  });
});

describe("nightly drift", () => {
  const file = "drift.yml";

  test("runs on a schedule and by hand", () => {
    const on = triggers(workflow(file));
    expect(text(list(on, "schedule")[0], "cron").split(" ")).toHaveLength(5);
    expect("workflow_dispatch" in on).toBe(true);
  });

  test("plans every stack and fails and opens or updates one issue on drift", () => {
    expect(job(file, "plan")).toMatchObject({
      needs: "stacks",
      uses: "./.github/workflows/plan-stacks.yml",
      with: { stacks: STACKS_OUTPUT },
      secrets: "inherit",
    });
    const report = job(file, "report");
    expect(report.needs).toEqual(["stacks", "plan"]);
    expect(report.if).toBe(REPORT_EVEN_IF_A_PLAN_FAILED);
    expect(map(report, "permissions")).toEqual({ contents: "read", issues: "write" });
    const script = runScripts(steps(report));
    expect(script).toContain("--post --fail-on drift --marker plan-report:drift");
    expect(script).toContain('--issue "Infrastructure drift: the stacks differ from main" --issue-label drift');
    expect(script).toContain("--allow-missing");
    expectPlansFromStacks(report);
    expect(script.trim().endsWith('exit "$status"')).toBe(true);
  });
});

describe("secrets", () => {
  const sources = [
    ...workflowFiles().map((name) => fs.readFileSync(path.join(WORKFLOWS_DIR, name), "utf8")),
    fs.readFileSync(path.join(ROOT, ".github", "actions", "terraform", "action.yml"), "utf8"),
  ].join("\n");

  /** Named secrets, and the per-stack kubeconfig secrets looked up by a computed (case-insensitive) name. */
  const referenced = new Set<string>([...sources.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((match) => match[1]));
  if (sources.includes("secrets[format('KUBECONFIG_{0}'")) {
    for (const stack of CI_STACKS) referenced.add(`KUBECONFIG_${stack.toUpperCase()}`);
  }

  test("are the state credentials and one kubeconfig per cluster", () => {
    expect([...referenced].sort()).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "KUBECONFIG_DEV",
      "KUBECONFIG_PRODUCTION",
      "KUBECONFIG_STAGING",
    ]);
  });

  test("are each explained in docs/pull-request-plans.md", () => {
    const page = fs.readFileSync(path.join(ROOT, "docs", "pull-request-plans.md"), "utf8");
    for (const secret of referenced) expect(page).toMatch(new RegExp(`^\\| \`${secret}\` \\|`, "m"));
  });

  test("each kubeconfig is written to the path its environment file names", () => {
    expect(runScripts(steps(map(localAction("terraform"), "runs")))).toContain('> ~/.kube/platform-"$STACK".yaml');
    for (const source of ENVIRONMENTS.filter((candidate) => CI_STACKS.includes(candidate.config.name))) {
      const config = source.config;
      if (config.target !== "kubernetes") throw new Error(`${config.name} is planned in CI but has no cluster`);
      expect(config.cluster.kubeconfigPath).toBe(`~/.kube/platform-${config.name}.yaml`);
    }
  });
});
