import * as fs from "fs";
import * as path from "path";
import { TerraformResource, TerraformStack } from "cdktf";
import { ConfigurationError } from "../core/problems";
import { vaultStackName } from "../core/stacks";
import { EnvironmentSource } from "../environments/load";
import { checkPolicies, formatPolicyReport } from "../policies/report";
import { initialisedBackend, publishDirectory, removeStackDefinitions, stagingDirectory } from "./output-directory";
import { buildPlatformApp } from "./platform-app";
import { isOn, LOCAL_STATE_VARIABLE, processVariableProblems } from "./process-variables";
import { localStatePath, stateKey } from "./state-backend";

export interface RunSynthOptions {
  /** The process environment: PLATFORM_ variables, and CDKTF_OUTDIR as the cdktf CLI sets it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What was written, and warnings: standard output (the cdktf CLI shows its app's stderr as errors). */
  readonly print: (message: string) => void;
  /** Why nothing was written: standard error. */
  readonly printError: (message: string) => void;
  /** @default - CDKTF_OUTDIR, else cdktf.out */
  readonly outdir?: string;
}

/** Where cdktf writes when nothing says otherwise. */
export const DEFAULT_OUTDIR = "cdktf.out";

/**
 * Synthesizes every environment and returns the process exit code. It builds
 * into a fresh directory beside the output and swaps it in only when every
 * environment is valid and every policy passes; on failure it prints every
 * problem and removes the stack definitions of earlier runs, so that a stale
 * stack can never be deployed. On success it prints one line per stack
 * written, then every warning.
 */
export function runSynth(
  environments: readonly EnvironmentSource[] | (() => readonly EnvironmentSource[]),
  options: RunSynthOptions,
): number {
  const outdir = options.outdir ?? options.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR;
  const fail = (message: string): number => {
    const removed = removeStackDefinitions(outdir);
    const note = removed.length > 0 ? `\nRemoved the stacks an earlier synth left in ${outdir}: ${removed.join(", ")}.` : "";
    options.printError(`${message}${note}`);
    return 1;
  };
  const variables = processVariableProblems(options.env);
  if (variables.length > 0) {
    return fail(
      `${variables.length} environment variable problem${variables.length === 1 ? "" : "s"}; nothing was synthesized:\n${variables.map((line) => `  ${line}`).join("\n")}`,
    );
  }

  const forceLocal = isOn(options.env, LOCAL_STATE_VARIABLE);
  const staging = stagingDirectory(outdir);
  try {
    const sources = typeof environments === "function" ? environments() : environments;
    const app = buildPlatformApp(sources, { outdir: staging, state: { forceLocal } });
    // The policies check each stack inside the synth, on the JSON it writes (policies/aspect.ts). A policy error
    // stops the synth; the stacks it did not reach are checked after, so that every problem is listed at once.
    // It all goes to the staging directory, which is published only on success.
    let synthFailure: unknown;
    try {
      app.synth();
    } catch (error) {
      synthFailure = error;
    }
    const report = checkPolicies(app);
    const policyText = formatPolicyReport(report);
    if (report.errors.length > 0) return fail(policyText);
    if (synthFailure !== undefined) throw synthFailure;
    const stacks = app.node.children.filter(TerraformStack.isStack);
    const switched = backendSwitches(stacks, sources, outdir, forceLocal);
    publishDirectory(staging, outdir);
    options.print(summary(stacks, sources, outdir, forceLocal));
    const warnings = [...constructWarnings(stacks), ...switched];
    if (policyText !== "") options.print(policyText);
    for (const warning of warnings) options.print(`warning: ${warning}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return fail(error.message);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

interface StackState {
  readonly type: "s3" | "local";
  /** The object key, or the file relative to the stack's directory, as `terraform init` records it. */
  readonly key: string;
  readonly describe: string;
}

/** The state of a stack (the environment's own, or its Vault stack: same backend, its own key). */
function stateOf(source: EnvironmentSource, stackName: string, forceLocal: boolean): StackState {
  const state = source.config.state;
  if (state.backend === "local" || forceLocal) {
    const file = state.backend === "local" && state.path ? state.path : `terraform.${stackName}.tfstate`;
    return { type: "local", key: localStatePath(file), describe: `local state ${file}` };
  }
  const key = stateKey(state, stackName);
  return { type: "s3", key, describe: `state s3://${state.bucket}/${key}` };
}

/** The environment each stack the app can hold belongs to, by stack name: its own, and its Vault stack. */
function sourcesByStack(sources: readonly EnvironmentSource[]): Map<string, EnvironmentSource> {
  return new Map(
    sources.flatMap((source) => [[source.config.name, source] as const, [vaultStackName(source.config.name), source] as const]),
  );
}

/** `Synthesized 4 stacks into cdktf.out:` and one line per stack. */
function summary(stacks: readonly TerraformStack[], sources: readonly EnvironmentSource[], outdir: string, forceLocal: boolean): string {
  const byStack = sourcesByStack(sources);
  const lines = stacks.map((stack) => {
    const source = byStack.get(stack.node.id);
    const resources = stack.node.findAll().filter(TerraformResource.isTerraformResource).length;
    const state = source ? `, ${stateOf(source, stack.node.id, forceLocal).describe}` : "";
    return `  ${stack.node.id}: ${path.join(outdir, "stacks", stack.node.id, "cdk.tf.json")} (${resources} resources${state})`;
  });
  return [`Synthesized ${stacks.length} stack${stacks.length === 1 ? "" : "s"} into ${outdir}:`, ...lines].join("\n");
}

/** Warnings constructs recorded (the policies' own are in their report). */
function constructWarnings(stacks: readonly TerraformStack[]): string[] {
  const warnings: string[] = [];
  for (const stack of stacks) {
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        const text = String(entry.data);
        if (entry.type === "@cdktf/warn" && !/^PLAT-[A-Z0-9]+-\d{3}:/.test(text)) warnings.push(`${construct.node.path}: ${text}`);
      }
    }
  }
  return warnings;
}

/**
 * Stacks whose directory was initialised with another backend than the one
 * now synthesized (PLATFORM_LOCAL_STATE switched on or off). Terraform then
 * asks to migrate the state, and cdktf's --migrate-state answers yes: from a
 * local experiment back to shared state, that would overwrite the shared state
 * with the experiment's.
 */
function backendSwitches(
  stacks: readonly TerraformStack[],
  sources: readonly EnvironmentSource[],
  outdir: string,
  forceLocal: boolean,
): string[] {
  const warnings: string[] = [];
  const byStack = sourcesByStack(sources);
  for (const stack of stacks) {
    const source = byStack.get(stack.node.id);
    const before = initialisedBackend(outdir, stack.node.id);
    if (source === undefined || before === undefined) continue;
    const now = stateOf(source, stack.node.id, forceLocal);
    if (before.type === now.type && (before.key === undefined || before.key === now.key)) continue;
    const directory = path.join(outdir, "stacks", stack.node.id);
    warnings.push(
      `${stack.node.id}: ${directory} was initialised with ${before.type} state${before.key ? ` (${before.key})` : ""} and now declares ${now.describe}. ` +
        `Do not pass --migrate-state to cdktf or terraform: it would copy one state over the other. ` +
        `Start the new backend clean with: terraform -chdir=${directory} init -reconfigure`,
    );
  }
  return warnings;
}
