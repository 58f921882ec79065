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
import { KAFKA_TLS_LISTENER } from "../constructs/kafka/resources";
import { OTLP_PORTS } from "../constructs/observability/kubernetes";
import { PostgresCloneInput } from "../constructs/postgres/clone";
import { ownerSecretName, Postgres, POSTGRES_PORT } from "../constructs/postgres/kubernetes";
import { REDIS_MASTER_GROUP, REDIS_PORT, REDIS_SENTINEL_AUTH_SECRET, RedisHa, SENTINEL_PORT } from "../constructs/redis/kubernetes";
import { serviceHost } from "../constructs/kubernetes/service-props";
import { TeamCredentialSources } from "../constructs/team/credentials";
import { Team, TeamServiceEndpoints } from "../constructs/team/kubernetes";
import { withTeamDatabases, withTeamKafka } from "../constructs/team/service-needs";
import { resolveTeam } from "../constructs/team/spec";
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
  /** One per team of the environment, by name. */
  public readonly teams: Readonly<Record<string, Team>>;

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
    const teams = (environment.teams ?? []).map(resolveTeam);
    if (enabled("redis")) {
      const users = teams.filter((team) => team.redis).map((team) => ({ name: team.name, keyPrefix: `${team.name}:` }));
      this.redis = new RedisHa(this, "redis", { ...monitored, spec: services.redis, secretsReady, users });
    }
    if (enabled("postgres")) {
      this.postgres = new Postgres(this, "postgres", {
        ...monitored,
        spec: withTeamDatabases(services.postgres, teams),
        secretsReady,
        vaultStoreName: storeName,
        certManagerReady: this.certManager ? [this.certManager.release.release] : [],
        clones: props.postgresClones,
      });
    }
    if (enabled("kafka")) this.kafka = new Kafka(this, "kafka", { ...monitored, spec: withTeamKafka(services.kafka, teams) });
    this.teams = Object.fromEntries(
      (environment.teams ?? []).map((spec) => [
        spec.name,
        new Team(this, `team-${spec.name}`, {
          ...common,
          spec,
          services: this.teamEndpoints(),
          prometheusNamespace: monitored.prometheusNamespace,
          credentials: { sources: this.credentialSources(), secretsReady },
        }),
      ]),
    );
    if (services.argocd && enabled("argocd")) {
      this.argocd = new ArgoCd(this, "argocd", {
        ...monitored,
        spec: services.argocd,
        teams: teams.flatMap((team) =>
          team.repository ? [{ name: team.name, namespaces: team.namespaces, source: team.repository }] : [],
        ),
        // Team Applications deploy into the team namespaces.
        dependsOn: [...monitored.dependsOn, ...Object.values(this.teams).flatMap((team) => team.dependables)],
      });
    }
    this.addOutputs();
  }

  /** Where the services a team may use take clients, as this stack built them. */
  private teamEndpoints(): TeamServiceEndpoints {
    return {
      postgres: this.postgres && { namespace: this.postgres.namespaceName, ports: [POSTGRES_PORT] },
      redis: this.redis && { namespace: this.redis.namespaceName, ports: [REDIS_PORT, SENTINEL_PORT] },
      kafka: this.kafka && { namespace: this.kafka.namespaceName, ports: [KAFKA_TLS_LISTENER.port] },
      vault: this.vault && { namespace: this.vault.namespaceName, ports: [this.vault.port] },
      telemetry: this.observability && { namespace: this.observability.namespaceName, ports: OTLP_PORTS },
    };
  }

  /** The Secrets teams' credentials are copied from, as this stack's services named them. */
  private credentialSources(): TeamCredentialSources {
    const postgres = this.postgres;
    const kafka = this.kafka;
    const redis = this.redis;
    const vault = this.vault;
    const certManager = this.certManager;
    const externalSecrets = this.externalSecrets;
    return {
      vault: vault &&
        certManager &&
        externalSecrets && {
          address: vault.address,
          kvMount: externalSecrets.spec.vaultMount,
          authMount: externalSecrets.spec.vaultAuthMount,
          caIssuer: certManager.caIssuer,
          ready: [...(certManager.caIssuer.ready ?? []), vault.helm.release],
        },
      postgres: postgres && {
        namespace: postgres.namespaceName,
        port: POSTGRES_PORT,
        host: (cluster) => serviceHost(`${cluster}-rw`, postgres.namespaceName),
        secretName: ownerSecretName,
        ready: (cluster) => postgres.credentialsReady(cluster),
      },
      kafka: kafka && {
        namespace: kafka.namespaceName,
        bootstrapServers: kafka.bootstrapServers,
        authentication: kafka.spec.authentication,
        // The User Operator names a KafkaUser's Secret after it; the Cluster Operator, the CA's after the cluster.
        userSecretName: (user) => user,
        caSecretName: `${kafka.clusterName}-cluster-ca-cert`,
        ready: [kafka.cluster.helm.release],
      },
      redis: redis && {
        namespace: redis.namespaceName,
        sentinels: redis.sentinelEndpoint,
        masterGroup: REDIS_MASTER_GROUP,
        userSecretName: (user) => redis.userSecretName(user),
        sentinelSecret: { name: REDIS_SENTINEL_AUTH_SECRET, key: "sentinel-password" },
        ready: [redis.credentials.helm.release],
      },
    };
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
