import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ITerraformDependable, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { placementOn, systemPoolOf } from "../core/placement";
import { ArgoCd } from "../constructs/argocd/kubernetes";
import { CertManager } from "../constructs/cert-manager/kubernetes";
import { EXTERNAL_SECRETS_NAMESPACE, ExternalSecrets } from "../constructs/external-secrets/kubernetes";
import { Kafka } from "../constructs/kafka/kubernetes";
import { NodePools } from "../constructs/node-pools/node-pools";
import { Grafana, Observability } from "../constructs/observability/kubernetes";
import { PostgresCloneInput } from "../constructs/postgres/clone";
import { Postgres } from "../constructs/postgres/kubernetes";
import { RedisHa } from "../constructs/redis/kubernetes";
import { isEnabled } from "../constructs/services";
import { Vault } from "../constructs/vault/kubernetes";
import { KubernetesEnvironmentConfig } from "../environments/types";
import { namedOutput } from "./named-output";
import { configureStateBackend, StateBackendOptions } from "./state-backend";

export interface KubernetesStackProps {
  readonly environment: KubernetesEnvironmentConfig;
  /**
   * Each PostgreSQL clone's source and sanitising SQL, by cluster name
   * (`postgresCloneInputs`).
   * @default {} - an environment that declares a clone then fails validation
   */
  readonly postgresClones?: Readonly<Record<string, PostgresCloneInput>>;
  /** @default - the environment's declared state */
  readonly state?: StateBackendOptions;
}

/**
 * One environment on a Kubernetes cluster: node pools and the platform
 * services on them, each left out when its block says `enabled: false`.
 * Service properties are undefined for a service the environment leaves out.
 */
export class KubernetesStack extends TerraformStack {
  public readonly environment: KubernetesEnvironmentConfig;
  public readonly nodePools: NodePools;
  public readonly observability?: Observability;
  public readonly certManager?: CertManager;
  public readonly vault?: Vault;
  public readonly externalSecrets?: ExternalSecrets;
  public readonly grafana?: Grafana;
  public readonly redis?: RedisHa;
  public readonly postgres?: Postgres;
  public readonly kafka?: Kafka;
  public readonly argocd?: ArgoCd;

  constructor(scope: Construct, props: KubernetesStackProps) {
    super(scope, props.environment.name);
    const environment = props.environment;
    this.environment = environment;
    configureStateBackend(this, environment, props.state);

    const { kubeconfigPath, kubeconfigContext } = environment.cluster;
    new KubernetesProvider(this, "kubernetes", { configPath: kubeconfigPath, configContext: kubeconfigContext });
    new HelmProvider(this, "helm", { kubernetes: { configPath: kubeconfigPath, configContext: kubeconfigContext } });

    this.nodePools = new NodePools(this, "node-pools", {
      provider: environment.cluster.provider,
      pools: environment.nodePools,
      preventDestroy: environment.protectFromDestroy ?? false,
    });

    const services = environment.services ?? {};
    const enabled = (name: Parameters<typeof isEnabled>[1]) => isEnabled(services, name);
    const pool = systemPoolOf(environment.nodePools);
    const common = {
      environmentName: environment.name,
      tier: environment.tier,
      placement: placementOn(pool),
      pool,
      dependsOn: this.nodePools.dependables,
      preventDestroy: environment.protectFromDestroy ?? false,
    };
    if (enabled("observability")) {
      this.observability = new Observability(this, "observability", { ...common, spec: services.observability });
    }
    // Every service below creates ServiceMonitors or PodMonitors: the Prometheus Operator's CRDs come first.
    const monitored = {
      ...common,
      dependsOn: [...common.dependsOn, ...(this.observability?.dependables ?? [])],
      monitoring: this.observability !== undefined,
      prometheusNamespace: this.observability?.namespaceName,
    };
    if (enabled("certManager")) {
      this.certManager = new CertManager(this, "cert-manager", { ...monitored, spec: services.certManager });
    }
    if (enabled("vault")) {
      this.vault = new Vault(this, "vault", {
        ...monitored,
        spec: services.vault,
        clientNamespaces: enabled("externalSecrets") ? [EXTERNAL_SECRETS_NAMESPACE] : [],
        tlsIssuer: this.certManager?.caIssuer,
      });
    }
    if (enabled("externalSecrets")) {
      this.externalSecrets = new ExternalSecrets(this, "external-secrets", {
        ...monitored,
        spec: services.externalSecrets,
        vault: this.vault,
      });
    }
    const secretsReady: ITerraformDependable[] = this.externalSecrets?.ready ?? [];
    const storeName = this.externalSecrets?.storeName;
    if (this.observability) {
      this.grafana = new Grafana(this, "grafana", {
        ...monitored,
        secretsReady,
        namespace: this.observability.namespaceName,
        values: services.observability?.values?.grafana,
      });
    }
    if (enabled("redis")) this.redis = new RedisHa(this, "redis", { ...monitored, spec: services.redis, secretsReady });
    if (enabled("postgres")) {
      this.postgres = new Postgres(this, "postgres", {
        ...monitored,
        spec: services.postgres,
        secretsReady,
        vaultStoreName: storeName,
        certManagerReady: this.certManager ? [this.certManager.release.release] : [],
        clones: props.postgresClones,
      });
    }
    if (enabled("kafka")) this.kafka = new Kafka(this, "kafka", { ...monitored, spec: services.kafka });
    if (services.argocd && enabled("argocd")) this.argocd = new ArgoCd(this, "argocd", { ...monitored, spec: services.argocd });
    this.addOutputs();
  }

  /** The in-cluster endpoints, under the names the README's commands use. None holds a secret. */
  private addOutputs(): void {
    const endpoint = (name: string, value: string, description: string) => namedOutput(this, name, value, { description });
    if (this.vault) {
      endpoint(
        "vault_endpoint",
        this.vault.address,
        `Vault API inside the cluster (active node), https; its CA certificate is ca.crt of the Secret ${this.vault.tlsSecretName} in the ${this.vault.namespaceName} namespace`,
      );
    }
    if (this.redis) {
      endpoint(
        "redis_sentinel_endpoint",
        this.redis.sentinelEndpoint,
        `Redis Sentinel inside the cluster (master group mymaster); password in Secret ${this.redis.namespaceName}/redis-auth`,
      );
    }
    for (const cluster of this.postgres?.spec.clusters ?? []) {
      endpoint(
        `postgres_${cluster.name.replace(/-/g, "_")}_endpoint`,
        this.postgres?.endpointOf(cluster.name) ?? "",
        `PostgreSQL cluster ${cluster.name} (read-write service); logins in Secrets ${this.postgres?.namespaceName}/${cluster.name}-<owner>` +
          (cluster.cloneFrom
            ? `, created once the clone of ${cluster.cloneFrom.environment}'s ${cluster.cloneFrom.cluster} is sanitised`
            : ""),
      );
    }
    if (this.kafka) {
      endpoint(
        "kafka_bootstrap_servers",
        this.kafka.bootstrapServers,
        `Kafka bootstrap servers (TLS listener, in-cluster); client credentials are the KafkaUser Secrets in the ${this.kafka.namespaceName} namespace`,
      );
    }
    if (this.argocd) {
      endpoint(
        "argocd_server_url",
        this.argocd.serverUrl,
        `Argo CD API and UI (in-cluster); initial admin password in the Secret argocd-initial-admin-secret of the ${this.argocd.namespaceName} namespace`,
      );
    }
    if (this.observability) {
      const endpoints = this.observability.endpoints;
      endpoint(
        "otlp_grpc_endpoint",
        endpoints.collectorOtlpGrpc,
        "OpenTelemetry collector, OTLP over gRPC (in-cluster): traces, metrics and logs",
      );
      endpoint(
        "otlp_http_endpoint",
        endpoints.collectorOtlpHttp,
        "OpenTelemetry collector, OTLP over HTTP (in-cluster): traces, metrics and logs",
      );
    }
    if (this.grafana) {
      endpoint(
        "grafana_url",
        this.grafana.url,
        `Grafana (in-cluster); admin login in the Secret grafana-admin of the ${this.observability?.namespaceName} namespace`,
      );
    }
  }
}
