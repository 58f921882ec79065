import * as fs from "fs";
import * as path from "path";
import { App, Aspects, TerraformStack, Testing } from "cdktf";
import { dev } from "../../environments/dev";
import { PolicyAspect } from "../../policies/aspect";
import { Policy } from "../../policies/policy";
import { checkPolicies, formatPolicyReport } from "../../policies/report";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { fixtureStack } from "./support/fixture";
import { EXTERNAL_SECRETS, release } from "./support/objects";

const REASON = "the vendor publishes this chart only as a moving 2.x channel";

/** dev with one error (a ranged chart), one warning (a waiver that silences nothing) and one waived finding. */
function mixedStack(): TerraformStack {
  const stack = fixtureStack("dev");
  release(stack, {}, { ...EXTERNAL_SECRETS, version: "2.x" }, "ranged");
  Policy.waive(release(stack, {}, EXTERNAL_SECRETS, "pinned"), "PLAT-HELM-001", REASON);
  Policy.waive(release(stack, {}, { ...EXTERNAL_SECRETS, version: "^2.9" }, "waived"), "PLAT-HELM-001", REASON);
  return stack;
}

/** The annotations cdktf shows for a construct (its other metadata left out). */
function annotations(stack: TerraformStack, path: string): string[] {
  const construct = stack.node.findAll().find((node) => node.node.path === path);
  return (construct?.node.metadata ?? [])
    .filter((entry) => entry.type.startsWith("@cdktf/"))
    .map((entry) => `${entry.type} ${String(entry.data)}`);
}

/** The dev stack exactly as the app builds it (providers included, so app.synth() validates). */
function devApp(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  return { app, stack: createEnvironmentStack(app, { file: "environments/dev.ts", config: dev }) };
}

describe("policy report", () => {
  test("lists errors, warnings and waived findings with rule id, construct path and what to change", () => {
    expect(formatPolicyReport(checkPolicies(mixedStack().node.root)).split("\n")).toEqual([
      "Policy: 1 error, 1 warning, 1 waived",
      '  error: PLAT-HELM-001 at dev/ranged/release: release "ranged": chart version "2.x" is a range or partial version, so the chart can change without a diff; pin one exact version such as 1.2.3',
      "  warning: PLAT-WAIVER-002 at dev/pinned: waiver of PLAT-HELM-001 matches no finding (the rule passes, or the id is wrong); remove it",
      `  waived: PLAT-HELM-001 at dev/waived/release: ${REASON}`,
      "Nothing was synthesized: fix each error, or waive it on its resource with Policy.waive(construct, id, reason) (docs/policies.md).",
    ]);
  });

  test("says nothing when every rule passes and nothing is waived", () => {
    const stack = fixtureStack("dev");
    release(stack);
    expect(formatPolicyReport(checkPolicies(stack.node.root))).toBe("");
  });

  test("fails when a stack has no policy aspect", () => {
    const app = Testing.app();
    new TerraformStack(app, "unchecked");
    expect(() => checkPolicies(app)).toThrow("stack unchecked has no policy aspect");
  });
});

describe("policy aspect", () => {
  test("annotates errors, warnings and waived findings on the construct they are about", () => {
    const stack = mixedStack();
    checkPolicies(stack.node.root);
    expect(annotations(stack, "dev/ranged/release")).toEqual([expect.stringMatching(/^@cdktf\/error PLAT-HELM-001: release "ranged"/)]);
    expect(annotations(stack, "dev/pinned")).toEqual([expect.stringMatching(/^@cdktf\/warn PLAT-WAIVER-002: /)]);
    expect(annotations(stack, "dev/waived/release")).toEqual([`@cdktf/info waived PLAT-HELM-001: ${REASON}`]);
  });

  test("evaluates and annotates a stack once, however often it is visited", () => {
    const stack = mixedStack();
    const aspect = Policy.enforce(stack);
    const first = aspect.check(stack);
    Testing.synth(stack); // invokes the aspects again
    expect(aspect.check(stack)).toBe(first);
    expect(annotations(stack, "dev/ranged/release")).toHaveLength(1);
  });

  test("is added once per stack", () => {
    const stack = fixtureStack("dev");
    expect(Policy.enforce(stack)).toBe(Policy.enforce(stack));
    expect(Aspects.of(stack).all.filter((aspect) => aspect instanceof PolicyAspect)).toHaveLength(1);
  });

  test("an error makes app.synth() fail, naming the rule and the construct", () => {
    const { app, stack } = devApp();
    release(stack, {}, { ...EXTERNAL_SECRETS, version: "2.x" }, "ranged");
    expect(() => app.synth()).toThrow(/\[dev\/ranged\/release\] PLAT-HELM-001: release "ranged": chart version "2.x"/);
  });

  test("warnings and waivers do not stop app.synth()", () => {
    const { app, stack } = devApp();
    Policy.waive(release(stack, {}, EXTERNAL_SECRETS, "pinned"), "PLAT-HELM-001", REASON);
    Policy.waive(release(stack, {}, { ...EXTERNAL_SECRETS, version: "^2.9" }, "waived"), "PLAT-HELM-001", REASON);
    expect(() => app.synth()).not.toThrow();
    expect(fs.existsSync(path.join(app.outdir, "stacks", "dev", "cdk.tf.json"))).toBe(true);
  });
});
