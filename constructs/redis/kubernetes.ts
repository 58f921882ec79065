import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { endpointOutput } from "../kubernetes/endpoint-output";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { hardAntiAffinity, KubernetesServiceProps, serviceHost } from "../kubernetes/service-props";
import { REDIS_HA_CHART } from "./chart";
import { RedisSpec, ResolvedRedisSpec, resolveRedis } from "./spec";

export interface RedisHaProps extends KubernetesServiceProps {
  /** @default - REDIS_DEFAULTS */
  readonly spec?: RedisSpec;
  /** External Secrets must be running to generate the passwords. */
  readonly secretsReady: readonly ITerraformDependable[];
}

export const REDIS_NAMESPACE = "redis";
const RELEASE = "redis";
const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const EXPORTER_PORT = 9121;
/** Secrets generated in-cluster; the chart reads them by name. */
export const REDIS_AUTH_SECRET = "redis-auth";
export const REDIS_SENTINEL_AUTH_SECRET = "redis-sentinel-auth";

/** Persistence: append-only file fsynced every second, plus RDB snapshots for fast restarts. */
const RDB_SNAPSHOTS = "900 1 300 10 60 10000";

/**
 * Redis with Sentinel (redis-ha chart): one pod per Redis server, each with a
 * sentinel beside it. Clients must be Sentinel-aware: ask any sentinel on
 * 26379 for master `mymaster`.
 */
export class RedisHa extends Construct {
  public readonly spec: ResolvedRedisSpec;
  public readonly namespace: PlatformNamespace;
  public readonly credentials: ManifestsRelease;
  public readonly helm: PlatformRelease;

  constructor(scope: Construct, id: string, props: RedisHaProps) {
    super(scope, id);
    this.spec = resolveRedis(props.spec);
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: REDIS_NAMESPACE,
      podSecurity: "restricted",
      // The chart grants its pods read access to their Service endpoints, looked up through the API.
      kubernetesApi: true,
      clientPorts: [REDIS_PORT, SENTINEL_PORT],
      metricsPorts: [EXPORTER_PORT],
    });
    const namespace = this.namespace.namespace.metadata.name;

    this.credentials = new ManifestsRelease(this, "credentials", {
      name: "redis-credentials",
      namespace: REDIS_NAMESPACE,
      manifests: [
        ...generatedSecretManifests({ name: REDIS_AUTH_SECRET, namespace: REDIS_NAMESPACE, data: { auth: GENERATED_PASSWORD } }),
        ...generatedSecretManifests({
          name: REDIS_SENTINEL_AUTH_SECRET,
          namespace: REDIS_NAMESPACE,
          data: { "sentinel-password": GENERATED_PASSWORD },
        }),
      ],
      dependsOn: [...props.secretsReady, ...this.namespace.dependables],
    });

    const spec = this.spec;
    const exporterResources = { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "64Mi" } };
    this.helm = new PlatformRelease(this, "release", {
      name: RELEASE,
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
          resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "64Mi" } },
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
        hardAntiAffinity: hardAntiAffinity(props.tier),
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
        podDisruptionBudget: { maxUnavailable: 1 },
        exporter: { enabled: true, resources: exporterResources, serviceMonitor: { enabled: true } },
      },
      dependsOn: [...(props.dependsOn ?? []), this.credentials.helm.release],
      preventDestroy: props.preventDestroy,
    });

    endpointOutput(
      this,
      "redis_sentinel_endpoint",
      `${serviceHost(`${RELEASE}-redis-ha`, REDIS_NAMESPACE)}:${SENTINEL_PORT}`,
      `Redis Sentinel inside the cluster (master group mymaster); password in Secret ${REDIS_NAMESPACE}/${REDIS_AUTH_SECRET}`,
    );
  }
}
