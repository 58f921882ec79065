import { App, TerraformStack } from "cdktf";
import { EnvironmentSource } from "../environments/load";
import { assertValidEnvironments } from "../environments/validate";
import { Policy } from "../policies/policy";
import { DockerStack } from "./docker-stack";
import { isEnabled } from "../constructs/services";
import { KubernetesStack } from "./kubernetes-stack";
import { postgresCloneInputs } from "./postgres-clones";
import { resolveOnce } from "./resolve-once";
import { StateBackendOptions } from "./state-backend";
import { VaultStack } from "./vault-stack";

export interface PlatformAppOptions {
  /** @default - cdktf's default (cdktf.out, or what the cdktf CLI passes) */
  readonly outdir?: string;
  /** @default - each environment's declared state */
  readonly state?: StateBackendOptions;
}

/**
 * The stack of one environment, by its target, with the policies enforced on
 * it. `environments` are the app's, which a PostgreSQL clone resolves its
 * source among.
 */
export function createEnvironmentStack(
  app: App,
  source: EnvironmentSource,
  state?: StateBackendOptions,
  environments: readonly EnvironmentSource[] = [source],
): TerraformStack {
  const environment = source.config;
  const stack =
    environment.target === "kubernetes"
      ? new KubernetesStack(app, { environment, state, postgresClones: postgresCloneInputs(source, environments) })
      : new DockerStack(app, { environment, state });
  Policy.enforce(stack, environment.tier);
  resolveOnce(stack);
  return stack;
}

/**
 * The Vault configuration stack of an environment that runs Vault on
 * Kubernetes (`<environment>-vault`), with the policies enforced on it;
 * undefined for any other environment.
 */
export function createVaultStack(app: App, source: EnvironmentSource, state?: StateBackendOptions): VaultStack | undefined {
  const environment = source.config;
  if (environment.target !== "kubernetes" || !isEnabled(environment.services ?? {}, "vault")) return undefined;
  const stack = new VaultStack(app, { environment, file: source.file, state });
  Policy.enforce(stack, environment.tier);
  resolveOnce(stack);
  return stack;
}

/**
 * Every stack of one environment, in the order they are applied: the platform,
 * then Vault's configuration. `environments` as for createEnvironmentStack.
 */
export function createEnvironmentStacks(
  app: App,
  source: EnvironmentSource,
  state?: StateBackendOptions,
  environments: readonly EnvironmentSource[] = [source],
): TerraformStack[] {
  const platform = createEnvironmentStack(app, source, state, environments);
  const vault = createVaultStack(app, source, state);
  return vault ? [platform, vault] : [platform];
}

/**
 * Validates every environment, then builds its stacks: one per environment,
 * and a second for Vault's configuration where the environment runs Vault on
 * Kubernetes. Throws a
 * ConfigurationError listing every problem before any construct is created,
 * so an invalid configuration writes nothing.
 */
export function buildPlatformApp(sources: readonly EnvironmentSource[], options: PlatformAppOptions = {}): App {
  assertValidEnvironments(sources);
  const app = new App(options.outdir ? { outdir: options.outdir } : undefined);
  for (const source of sources) createEnvironmentStacks(app, source, options.state, sources);
  return app;
}
