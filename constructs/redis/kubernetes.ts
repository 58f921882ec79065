import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { ManifestsRelease } from "../helm/manifests-release";
import { chartFullname, PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { hardAntiAffinity, KubernetesServiceProps, resolveServiceProps, serviceHost } from "../kubernetes/service-props";
import { isDns1123Label } from "../../core/formats";
import { copiedSecretManifest, NamespaceSecretAccess } from "../external-secrets/namespace-access";
import { ACL_DIRECTORY, ACL_FILE_KEY, ACL_SECRET, aclFileTemplate, aclUserSecretName, RedisAclUser } from "./acl";
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
  /**
   * ACL users besides `default`, each confined to its key prefix, with a
   * password generated in the cluster in the Secret `redis-user-<name>`.
   * @default [] - the default user only
   */
  readonly users?: readonly RedisAclUser[];
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
  /** The ACL file's ExternalSecret and its store; undefined without `users`. */
  public readonly acl?: ManifestsRelease;
  public readonly helm: PlatformRelease;
  /** The ACL users, in the order of the ACL file. */
  public readonly users: readonly RedisAclUser[];
  /** `host:port` of the sentinels' Service, inside the cluster. */
  public readonly sentinelEndpoint: string;

  constructor(scope: Construct, id: string, props: RedisHaProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? REDIS_NAMESPACE;
    this.releaseName = props.releaseName ?? RELEASE;
    this.users = props.users ?? [];
    assertValidProps(this, (problems) => {
      validateRedis(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
      const names = new Set<string>();
      this.users.forEach((user, index) => {
        const at = problems.at("users").at(index);
        at.check(
          isDns1123Label(user.name) && user.name !== "default",
          "name",
          "Redis user name is not allowed",
          user.name,
          "use a DNS-1123 label other than default",
        );
        at.check(!names.has(user.name), "name", "Redis user is declared twice", user.name, "declare each user once");
        names.add(user.name);
        at.check(
          /^[A-Za-z0-9][A-Za-z0-9:._-]*$/.test(user.keyPrefix),
          "keyPrefix",
          "key prefix is not allowed",
          user.keyPrefix,
          "use letters, digits and ':._-', e.g. identity:",
        );
      });
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
        ...this.users.flatMap((user) =>
          generatedSecretManifests({
            name: aclUserSecretName(user.name),
            namespace: this.namespaceName,
            data: { password: GENERATED_PASSWORD },
          }),
        ),
      ],
      dependsOn: [...props.secretsReady, ...this.namespace.dependables],
    });
    if (this.users.length > 0) this.acl = this.aclRelease();

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
            // With an ACL file Redis ignores requirepass: the file defines `default` with the same password.
            ...(this.acl ? { aclfile: `${ACL_DIRECTORY}/${ACL_FILE_KEY}` } : {}),
          },
          resources: spec.resources,
          ...(this.acl ? { extraVolumeMounts: [{ name: "acl", mountPath: ACL_DIRECTORY, readOnly: true }] } : {}),
        },
        persistentVolume: { enabled: true, size: spec.storage.size, storageClass: spec.storage.storageClass ?? null },
        ...(this.acl ? aclValues() : {}),
        hardAntiAffinity: hardAntiAffinity(service.tier),
        nodeSelector: service.placement.nodeSelector,
        tolerations: service.placement.tolerations,
        podDisruptionBudget: { maxUnavailable: 1 },
        exporter: { enabled: true, resources: REDIS_EXPORTER_RESOURCES, serviceMonitor: { enabled: service.monitoring } },
      },
      overrides: spec.values,
      dependsOn: [...service.dependsOn, this.credentials.helm.release, ...(this.acl ? [this.acl.helm.release] : [])],
      preventDestroy: service.preventDestroy,
    });
    this.sentinelEndpoint = `${serviceHost(chartFullname(this.releaseName, REDIS_HA_CHART.chart), this.namespaceName)}:${SENTINEL_PORT}`;
  }

  /** The ACL file, written by External Secrets from the generated passwords' hashes. */
  private aclRelease(): ManifestsRelease {
    const access = new NamespaceSecretAccess(this, "acl-access", {
      namespace: this.namespaceName,
      sourceNamespace: this.namespaceName,
      secretNames: [REDIS_AUTH_SECRET, ...this.users.map((user) => aclUserSecretName(user.name))],
      name: "redis-acl",
    });
    return new ManifestsRelease(this, "acl", {
      name: `${this.releaseName}-acl`,
      namespace: this.namespaceName,
      manifests: [
        access.store,
        copiedSecretManifest({
          name: ACL_SECRET,
          namespace: this.namespaceName,
          store: "redis-acl",
          keys: [
            { secretKey: "auth", key: REDIS_AUTH_SECRET, property: "auth" },
            ...this.users.map((user, i) => ({ secretKey: `user${i}`, key: aclUserSecretName(user.name), property: "password" })),
          ],
          template: { [ACL_FILE_KEY]: aclFileTemplate(this.users) },
        }),
      ],
      dependsOn: [this.credentials.helm.release, ...access.dependables],
    });
  }

  /** The user's password Secret, in the Redis namespace. */
  public userSecretName(user: string): string {
    return aclUserSecretName(user);
  }
}

/** The ACL file's Secret as a volume of every Redis pod (the redis container mounts it). */
function aclValues(): object {
  return { extraVolumes: [{ name: "acl", secret: { secretName: ACL_SECRET } }] };
}
