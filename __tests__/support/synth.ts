import { parse } from "yaml";
import { Testing } from "cdktf";
import { ENVIRONMENTS, EnvironmentConfig, EnvironmentSource } from "../../environments";
import { createEnvironmentStack, createVaultStack } from "../../stacks/platform-app";
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

/**
 * Synthesizes one environment's stack. Results are cached per config object
 * and state option: tests read them, never change them, and a stack with
 * every service costs a noticeable part of a second to build.
 */
export function synthEnvironment(config: EnvironmentConfig, state?: StateBackendOptions): SynthesizedStack {
  const key = state?.forceLocal ? "local-state" : "declared-state";
  const cached = cache.get(config)?.get(key);
  if (cached) return cached;
  const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
  // The shipped environments beside it: a PostgreSQL clone reads its source's declaration.
  const stack = createEnvironmentStack(Testing.app(), source, state, ENVIRONMENTS);
  const json = Testing.synth(stack);
  const result = { json, parsed: JSON.parse(json) as TerraformJson };
  cache.set(config, (cache.get(config) ?? new Map()).set(key, result));
  return result;
}

const cache = new WeakMap<EnvironmentConfig, Map<string, SynthesizedStack>>();

/** Synthesizes an environment's Vault configuration stack (`<environment>-vault`); fails the test when it has none. */
export function synthVaultStack(config: EnvironmentConfig, state?: StateBackendOptions): SynthesizedStack {
  const key = state?.forceLocal ? "vault-local-state" : "vault-declared-state";
  const cached = cache.get(config)?.get(key);
  if (cached) return cached;
  const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
  const stack = createVaultStack(Testing.app(), source, state);
  if (!stack) throw new Error(`${config.name} has no Vault stack`);
  const json = Testing.synth(stack);
  const result = { json, parsed: JSON.parse(json) as TerraformJson };
  cache.set(config, (cache.get(config) ?? new Map()).set(key, result));
  return result;
}

/** Every resource of a type, by its synthesized name. */
export function resourcesOfType(stack: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return stack.parsed.resource?.[type] ?? {};
}

/** A helm_release by its Helm release name; fails the test when absent. */
export function helmRelease(stack: SynthesizedStack, name: string): Record<string, unknown> {
  const release = Object.values(resourcesOfType(stack, "helm_release")).find((candidate) => candidate.name === name);
  if (!release) throw new Error(`no helm_release named ${name}`);
  return release;
}

/** The values of a release, parsed from the YAML document passed to Helm. */
export function releaseValues(stack: SynthesizedStack, name: string): any {
  return parse((helmRelease(stack, name).values as string[])[0]);
}

/** Custom resources applied through the project's manifests chart by a release. */
export function releaseManifests(stack: SynthesizedStack, name: string): Array<Record<string, any>> {
  return releaseValues(stack, name).manifests;
}

/** Warning annotations anywhere in an environment's stack, as synth prints them. */
export function synthWarnings(config: EnvironmentConfig): string[] {
  const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
  const stack = createEnvironmentStack(Testing.app(), source, undefined, ENVIRONMENTS);
  return stack.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === "@cdktf/warn")
    .map((entry) => String(entry.data));
}
