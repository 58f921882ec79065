/**
 * The refresh of a PostgreSQL clone rests on `replace_triggered_by`, which
 * cdktf 0.21 writes wrongly for a resource (hashicorp/terraform-cdk#3196).
 * The real Terraform plans what `replaceTriggers` synthesizes: a changed
 * marker replaces what names it, with Terraform's own reason, and creating a
 * marker replaces nothing (why turning a cluster into a clone also renames
 * its release).
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, DataResource, TerraformStack } from "cdktf";
import { replaceTriggers } from "../../constructs/common/lifecycle";
import { ReplaceMarker } from "../../constructs/common/replace-marker";
import { toolDecision } from "../state/ci";

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const decision = toolDecision(
  {
    test: "the replace_triggered_by test",
    tool: "terraform",
    problem: terraform.error ? `is not on PATH (${terraform.error.message})` : terraform.status !== 0 ? "does not run" : undefined,
    install: "Install Terraform >= 1.10 to run it; CI installs 1.11.4 (see .github/workflows/pull-request.yml).",
  },
  process.env,
);
if (decision.action === "skip") console.warn(decision.message);
if (decision.action === "fail") {
  test("replace_triggered_by with the real Terraform: Terraform is installed", () => {
    throw new Error(decision.message);
  });
}

interface Change {
  readonly address: string;
  readonly action_reason?: string;
  readonly change: { readonly actions: string[] };
}

/** A marker and a resource it triggers, as the Postgres construct writes them; `withMarker: false` leaves the marker out. */
function synth(outdir: string, refresh: string, withMarker = true): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "clone");
  const marker = withMarker ? new ReplaceMarker(stack, "marker", { input: { refresh } }) : undefined;
  new DataResource(stack, "cluster", {
    input: { data: "kept" },
    lifecycle: marker ? { replaceTriggeredBy: replaceTriggers([marker]) } : undefined,
  });
  app.synth();
  return path.join(outdir, "stacks", "clone");
}

(decision.action === "run" ? describe : describe.skip)("replace_triggered_by with the real Terraform", () => {
  let workdir: string;
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const run = (cwd: string, ...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile("terraform", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`terraform ${args.join(" ")} failed:\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
  const plan = async (directory: string): Promise<Change[]> => {
    await run(directory, "plan", "-no-color", "-out=plan.tfplan");
    return (JSON.parse(await run(directory, "show", "-json", "plan.tfplan")) as { resource_changes: Change[] }).resource_changes;
  };

  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-replace-"));
    fs.writeFileSync(path.join(workdir, "empty.tfrc"), "");
    env.TF_CLI_CONFIG_FILE = path.join(workdir, "empty.tfrc");
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test("a changed marker replaces the resource that names it; creating the marker replaces nothing", async () => {
    const outdir = path.join(workdir, "out");
    let directory = synth(outdir, "1", false);
    await run(directory, "init", "-no-color");
    await run(directory, "apply", "-auto-approve", "-no-color");

    // The marker appears beside a resource that exists: Terraform creates it and leaves the resource alone.
    directory = synth(outdir, "1");
    const created = await plan(directory);
    expect(created.map((change) => [change.address, change.change.actions])).toEqual([
      ["terraform_data.cluster", ["no-op"]],
      ["terraform_data.marker", ["create"]],
    ]);
    await run(directory, "apply", "-auto-approve", "-no-color", "plan.tfplan");

    directory = synth(outdir, "2");
    const refreshed = await plan(directory);
    expect(refreshed).toEqual([
      expect.objectContaining({
        address: "terraform_data.cluster",
        action_reason: "replace_by_triggers",
        change: expect.objectContaining({ actions: ["delete", "create"] }),
      }),
      expect.objectContaining({ address: "terraform_data.marker", change: expect.objectContaining({ actions: ["update"] }) }),
    ]);
  }, 60_000);
});
