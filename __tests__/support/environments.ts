import { KubernetesEnvironmentConfig, NodePoolConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { validateEnvironment } from "../../environments/validate";
import { formatProblem } from "../../core/problems";

/** dev with one node pool changed. */
export function devWithPool(index: number, patch: Partial<NodePoolConfig>): KubernetesEnvironmentConfig {
  return { ...dev, nodePools: dev.nodePools.map((pool, i) => (i === index ? { ...pool, ...patch } : pool)) };
}

/** The formatted problems of one environment, as synth prints them. */
export function problemsOf(config: Parameters<typeof validateEnvironment>[0]): string[] {
  return validateEnvironment(config).problems.map((problem) => formatProblem(`environments/${config.name}.ts`, problem));
}
