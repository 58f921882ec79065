import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { ManifestsRelease } from "../helm/manifests-release";
import { chartFullname, PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { hardAntiAffinity, KubernetesServiceProps, resolveServiceProps, serviceHost } from "../kubernetes/service-props";
import { REDIS_HA_CHART } from "./chart";
import { REDIS_EXPORTER_RESOURCES, REDIS_SENTINEL_RESOURCES, RedisSpec, ResolvedRedisSpec, resolveRedis, validateRedis } from "./spec";

export interface RedisHaProps extends KubernetesServiceProps {
  /** @default - REDIS_DEFAULTS */
  readonly spec?: RedisSpec;
  /** External Secrets must be running to generate the passwords; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
  /** @default "redis" */
  readonly namespace?: string;
  /** @default "redis" */
  readonly releaseName?: string;
}

/** @default namespace and release name */
export const REDIS_NAMESPACE = "redis";
const RELEASE = "redis";
export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
const EXPORTER_PORT = 9121;
/** Secrets generated in-cluster; the chart reads them by name. */
export const REDIS_AUTH_SECRET = "redis-auth";
export const REDIS_SENTINEL_AUTH_SECRET = "redis-sentinel-auth";
/** The master group sentinels watch: the chart's `redis.masterGroupName` default. */
export const REDIS_MASTER_GROUP = "mymaster";

/** Persistence: append-only file fsynced every second, plus RDB snapshots for fast restarts. */
const RDB_SNAPSHOTS = "900 1 300 10 60 10000";

/**
 * Redis with Sentinel (redis-ha chart): one pod per Redis server, each with a
 * sentinel beside it. Clients must be Sentinel-aware: ask any sentinel on
 * 26379 for master `mymaster`.
 */
export class RedisHa extends Construct {
  public readonly spec: ResolvedRedisSpec;
  public readonly namespaceName: string;
  public readonly releaseName: string;
  public readonly namespace: PlatformNamespace;
  public readonly credentials: ManifestsRelease;
  public readonly helm: PlatformRelease;
  /** `host:port` of the sentinels' Service, inside the cluster. */
  public readonly sentinelEndpoint: string;

  constructor(scope: Construct, id: string, props: RedisHaProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? REDIS_NAMESPACE;
    this.releaseName = props.releaseName ?? RELEASE;
    assertValidProps(this, (problems) => {
      validateRedis(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
    });
    this.spec = resolveRedis(props.spec);
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      podSecurity: "restricted",
      // The chart grants its pods read access to their Service endpoints, looked up through the API.
      kubernetesApi: true,
      clientPorts: [REDIS_PORT, SENTINEL_PORT],
      metricsPorts: [EXPORTER_PORT],
      prometheusNamespace: service.prometheusNamespace,
    });
    const namespace = this.namespace.namespace.metadata.name;

    this.credentials = new ManifestsRelease(this, "credentials", {
      name: `${this.releaseName}-credentials`,
      namespace: this.namespaceName,
      manifests: [
        ...generatedSecretManifests({ name: REDIS_AUTH_SECRET, namespace: this.namespaceName, data: { auth: GENERATED_PASSWORD } }),
        ...generatedSecretManifests({
          name: REDIS_SENTINEL_AUTH_SECRET,
          namespace: this.namespaceName,
          data: { "sentinel-password": GENERATED_PASSWORD },
        }),
      ],
      dependsOn: [...props.secretsReady, ...this.namespace.dependables],
    });

    const spec = this.spec;
    this.helm = new PlatformRelease(this, "release", {
      name: this.releaseName,
      namespace,
      source: REDIS_HA_CHART,
      values: {
        replicas: spec.replicas,
        auth: true,
        existingSecret: REDIS_AUTH_SECRET,
        authKey: "auth",
        sentinel: {
          quorum: spec.quorum,
          auth: true,
          existingSecret: REDIS_SENTINEL_AUTH_SECRET,
          authKey: "sentinel-password",
          resources: REDIS_SENTINEL_RESOURCES,
        },
        redis: {
          config: {
            maxmemory: spec.maxMemory,
            "maxmemory-policy": spec.evictionPolicy,
            appendonly: "yes",
            appendfsync: "everysec",
            save: RDB_SNAPSHOTS,
            "min-replicas-to-write": spec.minReplicasToWrite,
            "min-replicas-max-lag": spec.minReplicasMaxLagSeconds,
          },
          resources: spec.resources,
        },
        persistentVolume: { enabled: true, size: spec.storage.size, storageClass: spec.storage.storageClass ?? null },
        hardAntiAffinity: hardAntiAffinity(service.tier),
        nodeSelector: service.placement.nodeSelector,
        tolerations: service.placement.tolerations,
        podDisruptionBudget: { maxUnavailable: 1 },
        exporter: { enabled: true, resources: REDIS_EXPORTER_RESOURCES, serviceMonitor: { enabled: service.monitoring } },
      },
      overrides: spec.values,
      dependsOn: [...service.dependsOn, this.credentials.helm.release],
      preventDestroy: service.preventDestroy,
    });
    this.sentinelEndpoint = `${serviceHost(chartFullname(this.releaseName, REDIS_HA_CHART.chart), this.namespaceName)}:${SENTINEL_PORT}`;
  }
}
