import { Testing } from "cdktf";
import { EnvironmentConfig, EnvironmentSource } from "../../environments";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { StateBackendOptions } from "../../stacks/state-backend";

/** Synthesized Terraform JSON of one stack, as cdktf writes it to cdk.tf.json. */
export interface SynthesizedStack {
  readonly json: string;
  readonly parsed: TerraformJson;
}

export interface TerraformJson {
  readonly terraform: { readonly backend: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, Record<string, unknown>>;
}

export function synthEnvironment(config: EnvironmentConfig, state?: StateBackendOptions): SynthesizedStack {
  const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
  const stack = createEnvironmentStack(Testing.app(), source, state);
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) as TerraformJson };
}

/** Every resource of a type, by its synthesized name. */
export function resourcesOfType(stack: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return stack.parsed.resource?.[type] ?? {};
}
