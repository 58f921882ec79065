import { Testing, TerraformStack } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import { vaultStackName } from "../core/stacks";
import { isEnabled } from "../constructs/services";
import { buildPlatformApp } from "../stacks/platform-app";
import { SynthesizedStack, synthEnvironment, synthVaultStack } from "./support/synth";

// One snapshot per stack: any change to what Terraform would receive shows up in review.
// Intent is pinned separately by the property tests next to each construct.
const STACKS: Array<[string, () => SynthesizedStack]> = ENVIRONMENTS.flatMap((source) => {
  const config = source.config;
  const own: [string, () => SynthesizedStack] = [config.name, () => synthEnvironment(config)];
  const vault = config.target === "kubernetes" && isEnabled(config.services ?? {}, "vault");
  return vault ? [own, [vaultStackName(config.name), () => synthVaultStack(config)] as [string, () => SynthesizedStack]] : [own];
});

test("every stack the app builds has a snapshot", () => {
  const app = buildPlatformApp(ENVIRONMENTS, { outdir: Testing.app().outdir });
  const built = app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);
  expect(STACKS.map(([name]) => name)).toEqual(built);
  expect(built).toContain("dev-vault");
});

describe.each(STACKS)("%s stack", (_name, synth) => {
  test("synthesizes as recorded", () => {
    expect(synth().parsed).toMatchSnapshot();
  });
});
