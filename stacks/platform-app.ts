import { App, TerraformStack } from "cdktf";
import { EnvironmentSource } from "../environments/load";
import { assertValidEnvironments } from "../environments/validate";
import { Policy } from "../policies/policy";
import { DockerStack } from "./docker-stack";
import { KubernetesStack } from "./kubernetes-stack";
import { resolveOnce } from "./resolve-once";
import { StateBackendOptions } from "./state-backend";

export interface PlatformAppOptions {
  /** @default - cdktf's default (cdktf.out, or what the cdktf CLI passes) */
  readonly outdir?: string;
  /** @default - each environment's declared state */
  readonly state?: StateBackendOptions;
}

/** The stack of one environment, by its target, with the policies enforced on it. */
export function createEnvironmentStack(app: App, source: EnvironmentSource, state?: StateBackendOptions): TerraformStack {
  const environment = source.config;
  const stack =
    environment.target === "kubernetes" ? new KubernetesStack(app, { environment, state }) : new DockerStack(app, { environment, state });
  Policy.enforce(stack, environment.tier);
  resolveOnce(stack);
  return stack;
}

/**
 * Validates every environment, then builds one stack per environment. Throws a
 * ConfigurationError listing every problem before any construct is created,
 * so an invalid configuration writes nothing.
 */
export function buildPlatformApp(sources: readonly EnvironmentSource[], options: PlatformAppOptions = {}): App {
  assertValidEnvironments(sources);
  const app = new App(options.outdir ? { outdir: options.outdir } : undefined);
  for (const source of sources) createEnvironmentStack(app, source, options.state);
  return app;
}
