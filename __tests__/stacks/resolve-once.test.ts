import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Aspects, IAspect, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { dev } from "../../environments/dev";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { resolveOnce } from "../../stacks/resolve-once";

// app.synth() resolves a stack's elements once (stacks/resolve-once.ts) while that gives
// what cdktf's second resolution would, and as cdktf does whenever it might not.

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-resolve-once-"));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function written(stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

/** Counts calls of each resource's toTerraform(), which every resolution of the resource starts with. */
function countResolutions(stack: TerraformStack): Map<TerraformResource, number> {
  const calls = new Map<TerraformResource, number>();
  for (const resource of stack.node.findAll().filter(TerraformResource.isTerraformResource)) {
    const compute = resource.toTerraform.bind(resource);
    calls.set(resource, 0);
    resource.toTerraform = () => {
      calls.set(resource, (calls.get(resource) ?? 0) + 1);
      return compute();
    };
  }
  return calls;
}

test("resolves each resource of an environment stack once per synth (an aspect that may change resources brings back cdktf's second pass)", () => {
  const app = new App({ outdir });
  const calls = countResolutions(createEnvironmentStack(app, { file: "environments/dev.ts", config: dev }));
  app.synth();
  expect(calls.size).toBeGreaterThan(10);
  expect(new Set(calls.values())).toEqual(new Set([1]));
});

test("an aspect that changes resources after the preparation is written: the stack is resolved again", () => {
  const app = new App({ outdir });
  const stack = createEnvironmentStack(app, { file: "environments/dev.ts", config: dev });
  const retainMoreHistory: IAspect = {
    visit: (node: IConstruct) => {
      if (TerraformResource.isTerraformResource(node) && node.terraformResourceType === "helm_release") node.addOverride("max_history", 9);
    },
  };
  Aspects.of(stack).add(retainMoreHistory);
  app.synth();
  const releases = Object.values(written("dev").resource.helm_release) as Array<{ max_history: number }>;
  expect(releases.length).toBeGreaterThan(5);
  expect(new Set(releases.map((release) => release.max_history))).toEqual(new Set([9]));
});

test("a cross-stack reference found while preparing is written in both stacks", () => {
  const app = new App({ outdir });
  const source = createEnvironmentStack(app, { file: "environments/dev.ts", config: dev });
  const consumer = new TerraformStack(app, "consumer");
  resolveOnce(consumer);
  const release = source.node
    .findAll()
    .filter(TerraformResource.isTerraformResource)
    .find((r) => r.terraformResourceType === "helm_release");
  if (release === undefined) throw new Error("dev has no helm_release");
  new TerraformOutput(consumer, "release-id", { value: release.getStringAttribute("id") });
  app.synth();
  expect(Object.keys(written("dev").output).filter((name) => name.startsWith("cross-stack-output-"))).toHaveLength(1);
  expect(Object.keys(written("consumer").data.terraform_remote_state)).toHaveLength(1);
  expect(written("consumer").output["release-id"].value).toMatch(/^\$\{data\.terraform_remote_state\./);
});
