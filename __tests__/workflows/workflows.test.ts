/**
 * Structural facts of the CI workflows: documented actions and inputs only,
 * one concurrency group per stack wherever Terraform runs, approvals before
 * staging and production, and the secrets the README documents.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS } from "../../environments";
import { allStackNames, ciStacks } from "../../stacks/stack-names";
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
  ACTIONS_DIR,
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
const CI_STACKS = ciStacks(ENVIRONMENTS);
/** The environments of those stacks: their secrets (KUBECONFIG_<ENV>, VAULT_TOKEN_<ENV>) and GitHub Environments. */
const CI_ENVIRONMENTS = [...new Set(CI_STACKS.map((stack) => stack.environment))];

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
  expect(script).toContain(`mapfile -t plans < <(jq -r '.[] | "\\(.name)=plans/plan-\\(.name)/plan.json"' <<<"$STACKS")`);
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
    // The stack's name, from the matrix entry or from the entry passed as JSON to the reusable workflow.
    expect(concurrency.group).toMatch(/^terraform-\$\{\{ (matrix\.stack\.name|fromJSON\(inputs\.stack\)\.name) \}\}$/);
    expect(concurrency["cancel-in-progress"]).toBe(false);
  });

  test("the state lock waits instead of failing, as a second guard", () => {
    for (const { file, name } of terraformJobs) {
      expect(runScripts(steps(job(file, name)))).toMatch(/terraform (plan|apply) [^\n]*-lock-timeout=10m/);
    }
  });
});

describe("the stacks come from the program, never from a list in a workflow", () => {
  /** Every stack's and environment's name, CI's or not: none of them is written in a workflow or action. */
  const STACK_NAMES = [...new Set([...allStackNames(ENVIRONMENTS), ...ENVIRONMENTS.map((source) => source.config.name)])];

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
    expect(STACK_NAMES).toEqual(["local", "dev", "dev-vault", "staging", "staging-vault", "production", "production-vault"]);
    // /dev/null is the null device, not the dev stack.
    const named = scalars(yaml).filter((value) =>
      STACK_NAMES.some((stack) => new RegExp(`(^|[^A-Za-z0-9_])${stack}([^A-Za-z0-9_]|$)`).test(value.replaceAll("/dev/null", ""))),
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

    test("passes the program's list on, as one line for $GITHUB_OUTPUT", () => {
      const printed = JSON.stringify(CI_STACKS);
      expect(check(printed)).toMatchObject({ status: 0, stdout: `${printed}\n` });
      expect(check(JSON.stringify(CI_STACKS, null, 2))).toMatchObject({ status: 0, stdout: `${printed}\n` });
    });

    const dev = '{"name":"dev","environment":"dev","kind":"platform"}';
    test.each([
      ["[]"],
      ['["dev","staging"]'],
      [`{"stacks":[${dev}]}`],
      [`[${dev},{"name":"$(reboot)","environment":"dev","kind":"platform"}]`],
      ['[{"name":"dev","environment":"dev staging","kind":"platform"}]'],
      ['[{"name":"dev","kind":"platform"}]'],
      ['[{"name":"dev","environment":"dev","kind":"helm"}]'],
      ['[{"name":"dev-vault","environment":"dev","kind":"vault"}]'],
      [`[${dev},null]`],
    ])("fails when it printed %s", (printed) => {
      const run = check(printed);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`npm run -s stacks printed ${printed}; expected a JSON list of stacks, each {name, environment, kind}`);
    });

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
    expect(upload?.with).toMatchObject({ name: "plan-${{ matrix.stack.name }}", "include-hidden-files": true });
    expect(text(upload?.with, "path")).toContain("!cdktf.out/stacks/${{ matrix.stack.name }}/.terraform");
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
      // The whole entry, so that the apply knows the stack's environment and, for a Vault stack, how to reach Vault.
      with: { stack: "${{ toJSON(matrix.stack) }}" },
      secrets: "inherit",
    });
    // Matrix jobs start in the list's order (dev, dev-vault, staging, …); one at a time, so production waits for
    // staging and each Vault stack for its platform; fail-fast: a failed or rejected apply cancels those still waiting.
    expect(map(apply, "strategy")).toEqual({
      "max-parallel": 1,
      "fail-fast": true,
      matrix: { stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" },
    });
  });

  test("each apply job is guarded by the GitHub Environment of its stack's environment (reviewers for staging and production)", () => {
    expect(job("apply-stack.yml", "apply").environment).toBe("${{ fromJSON(inputs.stack).environment }}");
    const input = map(map(map(triggers(workflow("apply-stack.yml")), "workflow_call"), "inputs"), "stack");
    expect(input).toMatchObject({ type: "string", required: true });
    expect("default" in input).toBe(false);
  });

  test("applies the saved plan of this run, with the directory and lock file it was made with", () => {
    const apply = steps(job("apply-stack.yml", "apply"));
    const download = apply.find((step) => step.uses === "actions/download-artifact@v4");
    expect(download?.with).toEqual({
      name: "plan-${{ fromJSON(inputs.stack).name }}",
      path: "cdktf.out/stacks/${{ fromJSON(inputs.stack).name }}",
    });
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
    ...fs.readdirSync(ACTIONS_DIR).map((name) => fs.readFileSync(path.join(ACTIONS_DIR, name, "action.yml"), "utf8")),
  ].join("\n");

  /** Named secrets, and the per-environment ones looked up by a computed (case-insensitive) name. */
  const referenced = new Set<string>([...sources.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((match) => match[1]));
  if (sources.includes("secrets[format('KUBECONFIG_{0}'")) {
    for (const environment of CI_ENVIRONMENTS) referenced.add(`KUBECONFIG_${environment.toUpperCase()}`);
  }
  if (sources.includes("secrets[format('VAULT_TOKEN_{0}'")) {
    for (const stack of CI_STACKS.filter((entry) => entry.kind === "vault"))
      referenced.add(`VAULT_TOKEN_${stack.environment.toUpperCase()}`);
  }

  test("are the state credentials, one kubeconfig per cluster and one Vault token per Vault", () => {
    expect([...referenced].sort()).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "KUBECONFIG_DEV",
      "KUBECONFIG_PRODUCTION",
      "KUBECONFIG_STAGING",
      "VAULT_TOKEN_DEV",
      "VAULT_TOKEN_PRODUCTION",
      "VAULT_TOKEN_STAGING",
    ]);
  });

  test("are each explained in docs/pull-request-plans.md", () => {
    const page = fs.readFileSync(path.join(ROOT, "docs", "pull-request-plans.md"), "utf8");
    for (const secret of referenced) expect(page).toMatch(new RegExp(`^\\| \`${secret}\` \\|`, "m"));
  });

  test("each kubeconfig is written to the path its environment file names", () => {
    expect(runScripts(steps(map(localAction("terraform"), "runs")))).toContain('> ~/.kube/platform-"$ENVIRONMENT".yaml');
    for (const source of ENVIRONMENTS.filter((candidate) => CI_ENVIRONMENTS.includes(candidate.config.name))) {
      const config = source.config;
      if (config.target !== "kubernetes") throw new Error(`${config.name} is planned in CI but has no cluster`);
      expect(config.cluster.kubeconfigPath).toBe(`~/.kube/platform-${config.name}.yaml`);
    }
  });
});

describe("Vault stacks in CI", () => {
  const VAULT_STACKS = CI_STACKS.filter((stack) => stack.kind === "vault");
  /** The jobs that run Terraform, and how each names its stack's entry. */
  const TERRAFORM_JOBS = [
    { file: "plan-stacks.yml", name: "plan", entry: "matrix.stack", json: "toJSON(matrix.stack)" },
    { file: "apply-stack.yml", name: "apply", entry: "fromJSON(inputs.stack)", json: "inputs.stack" },
  ];

  test("each environment's Vault stack comes right after its platform stack, so it is applied after it", () => {
    expect(CI_STACKS.map((stack) => `${stack.kind}:${stack.name}`)).toEqual([
      "platform:dev",
      "vault:dev-vault",
      "platform:staging",
      "vault:staging-vault",
      "platform:production",
      "vault:production-vault",
    ]);
  });

  test.each(TERRAFORM_JOBS)(
    "$file $name: for vault stacks only, the vault action runs after the kubeconfig and before Terraform",
    ({ file, name, entry, json }) => {
      const jobSteps = steps(job(file, name));
      const at = (predicate: (step: Step) => boolean) => jobSteps.findIndex(predicate);
      const kubeconfig = at((step) => step.uses === "./.github/actions/terraform");
      const vault = at((step) => step.uses === "./.github/actions/vault");
      const terraform = at((step) => /^terraform (plan|apply) /.test(step.run ?? ""));
      expect([kubeconfig, vault, terraform].every((index) => index >= 0)).toBe(true);
      expect(kubeconfig < vault && vault < terraform).toBe(true);
      expect(jobSteps[vault].if).toBe(`${entry}.kind == 'vault'`);
      expect(jobSteps[vault].with).toEqual({
        stack: `\${{ ${json} }}`,
        token: `\${{ secrets[format('VAULT_TOKEN_{0}', ${entry}.environment)] }}`,
      });
    },
  );

  test.each(TERRAFORM_JOBS)(
    "$file $name: the token reaches Terraform only as VAULT_TOKEN, from the environment's secret, for vault stacks",
    ({ file, name, entry }) => {
      const jobSteps = steps(job(file, name));
      const terraform = jobSteps.find((step) => /^terraform (plan|apply) /.test(step.run ?? ""));
      expect(terraform?.env).toEqual({
        VAULT_TOKEN: `\${{ ${entry}.kind == 'vault' && secrets[format('VAULT_TOKEN_{0}', ${entry}.environment)] || '' }}`,
      });
      // Nowhere else in the job: not in its env, not in another step's.
      expect(JSON.stringify(map(job(file, name), "env"))).not.toContain("VAULT_TOKEN");
      const others = jobSteps.filter((step) => step !== terraform && step.uses !== "./.github/actions/vault");
      expect(JSON.stringify(others)).not.toContain("VAULT_TOKEN");
    },
  );

  test("the vault action pastes no expression into a script and never prints the token", () => {
    const actionSteps = steps(map(localAction("vault"), "runs"));
    expect(actionSteps.length).toBeGreaterThan(2);
    for (const step of actionSteps) {
      // Inputs reach the scripts through env only: a value is never shell code.
      expect([step.name, step.run?.includes("${{")]).toEqual([step.name, false]);
      expect(step.run ?? "").not.toMatch(/set -x|echo[^\n]*\$\{?VAULT_TOKEN|printenv|env\s*$/m);
    }
    const uses = runScripts(actionSteps)
      .split("\n")
      .filter((line) => line.includes("$VAULT_TOKEN"));
    expect(uses).toEqual(
      [
        '        if [ -z "$VAULT_TOKEN" ]; then'.trim(),
        `--header @<(printf 'X-Vault-Token: %s\\n' "$VAULT_TOKEN") "$address/v1/auth/token/renew-self" || true)"`,
      ].map((line) => expect.stringContaining(line)),
    );
  });

  test("the vault action reads only fields every vault stack's entry has", () => {
    const fields = [...runScripts(steps(map(localAction("vault"), "runs"))).matchAll(/(?:field|jq -er?) (\.[\w.]+)/g)].map(
      (match) => match[1],
    );
    expect(fields).toEqual(expect.arrayContaining([".environment", ".vault.address", ".vault.caCertFile", ".vault.portForward.service"]));
    for (const stack of VAULT_STACKS) {
      for (const field of new Set(fields)) {
        const value = field
          .split(".")
          .slice(1)
          .reduce<unknown>((at, key) => (isMap(at) ? at[key] : undefined), stack);
        expect([stack.name, field, value === undefined || value === null]).toEqual([stack.name, field, false]);
      }
    }
  });

  test.each(VAULT_STACKS.map((stack) => [stack.name, stack] as const))(
    "%s: the CA goes where the environment file says, and the port-forward makes its address reach the active node",
    (_name, stack) => {
      const source = ENVIRONMENTS.find((candidate) => candidate.config.name === stack.environment);
      const config = source?.config;
      if (config?.target !== "kubernetes" || !config.vaultAccess) throw new Error(`${stack.name}: no vaultAccess`);
      expect(stack.vault).toEqual({
        address: config.vaultAccess.address,
        caCertFile: config.vaultAccess.caCertFile,
        kubeconfigContext: config.cluster.kubeconfigContext,
        caSecret: { namespace: "vault", name: "vault-tls", key: "ca.crt" },
        portForward: {
          namespace: "vault",
          service: "vault-active",
          port: 8200,
          localPort: Number(new URL(config.vaultAccess.address).port),
        },
      });
      expect(config.vaultAccess.caCertFile).toBe(`~/.vault/platform-${stack.environment}-ca.pem`);
    },
  );
});
