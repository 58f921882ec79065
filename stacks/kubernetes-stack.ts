import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ArgoCd } from "../constructs/argocd/kubernetes";
import { Kafka } from "../constructs/kafka/kubernetes";
import { NodePools } from "../constructs/node-pools/node-pools";
import { Observability } from "../constructs/observability/kubernetes";
import { placementOn, systemPool } from "../constructs/placement";
import { KubernetesEnvironmentConfig } from "../environments/types";
import { configureStateBackend, StateBackendOptions } from "./state-backend";

export interface KubernetesStackProps {
  readonly environment: KubernetesEnvironmentConfig;
  /** @default - the environment's declared state */
  readonly state?: StateBackendOptions;
}

/** One environment on a Kubernetes cluster: node pools and the platform services on them. */
export class KubernetesStack extends TerraformStack {
  public readonly environment: KubernetesEnvironmentConfig;
  public readonly nodePools: NodePools;
  public readonly observability: Observability;
  public readonly kafka: Kafka;
  /** Undefined when the environment declares no `services.argocd`. */
  public readonly argocd?: ArgoCd;

  constructor(scope: Construct, props: KubernetesStackProps) {
    super(scope, props.environment.name);
    this.environment = props.environment;
    configureStateBackend(this, props.environment, props.state);

    const { kubeconfigPath, kubeconfigContext } = props.environment.cluster;
    new KubernetesProvider(this, "kubernetes", { configPath: kubeconfigPath, configContext: kubeconfigContext });
    new HelmProvider(this, "helm", { kubernetes: { configPath: kubeconfigPath, configContext: kubeconfigContext } });

    this.nodePools = new NodePools(this, "node-pools", {
      cluster: props.environment.cluster,
      pools: props.environment.nodePools,
      preventDestroy: props.environment.protectFromDestroy ?? false,
    });

    const services = props.environment.services ?? {};
    const service = {
      environmentName: props.environment.name,
      tier: props.environment.tier,
      placement: placementOn(systemPool(props.environment)),
      dependsOn: this.nodePools.dependables,
      preventDestroy: props.environment.protectFromDestroy ?? false,
    };
    this.observability = new Observability(this, "observability", { ...service, spec: services.observability });
    // Monitors need the Prometheus Operator's CRDs from the observability release.
    const monitored = { ...service, dependsOn: [...service.dependsOn, ...this.observability.dependables] };
    this.kafka = new Kafka(this, "kafka", { ...monitored, spec: services.kafka });
    if (services.argocd) this.argocd = new ArgoCd(this, "argocd", { ...monitored, spec: services.argocd });
  }
}
