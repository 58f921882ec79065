import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ArgoCd } from "../constructs/argocd/kubernetes";
import { ExternalSecrets, EXTERNAL_SECRETS_NAMESPACE } from "../constructs/external-secrets/kubernetes";
import { Kafka } from "../constructs/kafka/kubernetes";
import { NodePools } from "../constructs/node-pools/node-pools";
import { Grafana, Observability } from "../constructs/observability/kubernetes";
import { placementOn, systemPoolOf } from "../core/placement";
import { Postgres } from "../constructs/postgres/kubernetes";
import { RedisHa } from "../constructs/redis/kubernetes";
import { Vault, VAULT_NAMESPACE } from "../constructs/vault/kubernetes";
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
  public readonly vault: Vault;
  public readonly externalSecrets: ExternalSecrets;
  public readonly grafana: Grafana;
  public readonly redis: RedisHa;
  public readonly postgres: Postgres;
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

    const environment = props.environment;
    const services = environment.services ?? {};
    const common = {
      environmentName: environment.name,
      tier: environment.tier,
      placement: placementOn(systemPoolOf(environment.nodePools)),
      dependsOn: this.nodePools.dependables,
      preventDestroy: environment.protectFromDestroy ?? false,
    };
    this.observability = new Observability(this, "observability", { ...common, spec: services.observability });
    // Every service below creates ServiceMonitors or PodMonitors: the Prometheus Operator's CRDs come first.
    const monitored = { ...common, dependsOn: [...common.dependsOn, ...this.observability.dependables] };
    this.vault = new Vault(this, "vault", { ...monitored, spec: services.vault, clientNamespaces: [EXTERNAL_SECRETS_NAMESPACE] });
    this.externalSecrets = new ExternalSecrets(this, "external-secrets", {
      ...monitored,
      spec: services.externalSecrets,
      vaultAddress: this.vault.address,
      vaultNamespace: VAULT_NAMESPACE,
    });
    const secretsReady = this.externalSecrets.ready;
    this.grafana = new Grafana(this, "grafana", { ...monitored, secretsReady });
    this.redis = new RedisHa(this, "redis", { ...monitored, spec: services.redis, secretsReady });
    this.postgres = new Postgres(this, "postgres", { ...monitored, spec: services.postgres, secretsReady });
    this.kafka = new Kafka(this, "kafka", { ...monitored, spec: services.kafka });
    if (services.argocd) this.argocd = new ArgoCd(this, "argocd", { ...monitored, spec: services.argocd });
  }
}
