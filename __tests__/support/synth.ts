import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Testing } from "cdktf";
import { ENVIRONMENTS, EnvironmentConfig, EnvironmentSource } from "../../environments";
import { createEnvironmentStack, createVaultStack } from "../../stacks/platform-app";
import { StateBackendOptions } from "../../stacks/state-backend";
import { SHARED_SYNTH_DIRECTORY } from "./shared-synth-directory";

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
 * every service costs a noticeable part of a second to build. The JSON of a
 * config made of plain data is also shared with the run's other test files
 * (see sharedSynth): the suite synthesizes dev or production in a dozen files.
 */
export function synthEnvironment(config: EnvironmentConfig, state?: StateBackendOptions): SynthesizedStack {
  return cachedSynth(config, state?.forceLocal ? "local-state" : "declared-state", () => {
    const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
    // The shipped environments beside it: a PostgreSQL clone reads its source's declaration.
    return Testing.synth(createEnvironmentStack(Testing.app(), source, state, ENVIRONMENTS));
  });
}

const cache = new WeakMap<EnvironmentConfig, Map<string, SynthesizedStack>>();

/** Synthesizes an environment's Vault configuration stack (`<environment>-vault`); fails the test when it has none. */
export function synthVaultStack(config: EnvironmentConfig, state?: StateBackendOptions): SynthesizedStack {
  return cachedSynth(config, state?.forceLocal ? "vault-local-state" : "vault-declared-state", () => {
    const source: EnvironmentSource = { file: `environments/${config.name}.ts`, config };
    const stack = createVaultStack(Testing.app(), source, state);
    if (!stack) throw new Error(`${config.name} has no Vault stack`);
    return Testing.synth(stack);
  });
}

/** A stack's JSON by config and key: from this file's cache, else the run's shared one (sharedSynth), else `synth`. */
function cachedSynth(config: EnvironmentConfig, key: string, synth: () => string): SynthesizedStack {
  const cached = cache.get(config)?.get(key);
  if (cached) return cached;
  const json = sharedSynth(config, key, synth);
  const result = { json, parsed: JSON.parse(json) as TerraformJson };
  cache.set(config, (cache.get(config) ?? new Map()).set(key, result));
  return result;
}

/**
 * The synthesized JSON of `config`, computed once per jest run: the run's global
 * set-up (support/global-setup.ts) makes a fresh directory, and the first test file
 * that synthesizes a config writes it there for the others. The code cannot change
 * during a run, so only the config and state option are the key; a config holding
 * anything but plain data, or a test file that mocks modules, synthesizes on its own.
 */
function sharedSynth(config: EnvironmentConfig, state: string, compute: () => string): string {
  const directory = process.env[SHARED_SYNTH_DIRECTORY];
  const key = directory === undefined || testFileMocks() ? undefined : plainDataKey(config, state);
  if (directory === undefined || key === undefined) return compute();
  const file = path.join(directory, `${key}.json`);
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  const json = compute();
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, json);
  fs.renameSync(temporary, file);
  return json;
}

/** Whether the running test file replaces modules or functions, which could change what it synthesizes. */
function testFileMocks(): boolean {
  const testPath = expect.getState().testPath;
  if (testPath === undefined) return true;
  return /\bjest\.(?:mock|doMock|setMock|spyOn|replaceProperty|unstable_mockModule)\(/.test(fs.readFileSync(testPath, "utf8"));
}

/** A hash of the config as data (undefined values included), or undefined when it holds anything else. */
function plainDataKey(config: EnvironmentConfig, state: string): string | undefined {
  let plain = true;
  const text = JSON.stringify(config, (_name, value: unknown) => {
    if (value === undefined) return { "(undefined)": true };
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") plain = false;
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) plain = false;
    }
    return value;
  });
  return plain ? createHash("sha256").update(`${state}\n${text}`).digest("hex") : undefined;
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
