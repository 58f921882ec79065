import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EXTERNAL_SECRETS_API, GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { VAULT_SECRET_STORE } from "../external-secrets/kubernetes";
import { KubernetesManifest, ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { assertValidProps } from "../common/validate-props";
import { HelmValues, mergeValues } from "../helm/merge-values";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import {
  hardAntiAffinity,
  KubernetesServiceProps,
  ResolvedServiceProps,
  resolveServiceProps,
  serviceHost,
} from "../kubernetes/service-props";
import { CLOUDNATIVE_PG_CHART, CNPG_CLUSTER_CHART, POSTGRES_IMAGE } from "./chart";
import {
  CNPG_OPERATOR_RESOURCES,
  PostgresSpec,
  ResolvedPostgresCluster,
  ResolvedPostgresSpec,
  resolvePostgres,
  validatePostgres,
} from "./spec";

export interface PostgresProps extends KubernetesServiceProps {
  /** @default - two clusters at the documented defaults */
  readonly spec?: PostgresSpec;
  /** External Secrets must be running to generate passwords and read the backup credentials; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
  /** The ClusterSecretStore that reads the backup credentials from Vault. @default "vault" */
  readonly vaultStoreName?: string;
  /** Namespace of the clusters. @default "postgres" */
  readonly namespace?: string;
  /** Namespace of the operator. @default "cnpg-system" */
  readonly operatorNamespace?: string;
  /** @default "cloudnative-pg" */
  readonly operatorReleaseName?: string;
}

/** @default operatorNamespace, namespace, operatorReleaseName */
export const CNPG_OPERATOR_NAMESPACE = "cnpg-system";
export const POSTGRES_NAMESPACE = "postgres";
export const CNPG_OPERATOR_RELEASE = "cloudnative-pg";
/** Receives ACCESS_KEY_ID / ACCESS_SECRET_KEY from Vault: the key names the cluster chart expects. */
export const POSTGRES_BACKUP_SECRET = "postgres-backup-s3";
export const POSTGRES_PORT = 5432;
const INSTANCE_STATUS_PORT = 8000;
const INSTANCE_METRICS_PORT = 9187;
const OPERATOR_WEBHOOK_PORT = 9443;
const OPERATOR_METRICS_PORT = 8080;

/** Secret holding an owner's login: `<cluster>-<owner>`, basic-auth as CloudNativePG expects. */
export function ownerSecretName(cluster: string, owner: string): string {
  return `${cluster}-${owner.replace(/_/g, "-")}`;
}

/**
 * PostgreSQL clusters run by the CloudNativePG operator: one `cluster` chart
 * release per cluster, owners' passwords generated in the cluster, base
 * backups and WAL archived to object storage on a schedule.
 */
export class Postgres extends Construct {
  public readonly spec: ResolvedPostgresSpec;
  public readonly namespaceName: string;
  public readonly operatorNamespaceName: string;
  public readonly operatorNamespace: PlatformNamespace;
  public readonly namespace: PlatformNamespace;
  public readonly operator: PlatformRelease;
  public readonly credentials: ManifestsRelease;
  public readonly clusters: readonly PlatformRelease[];

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? POSTGRES_NAMESPACE;
    this.operatorNamespaceName = props.operatorNamespace ?? CNPG_OPERATOR_NAMESPACE;
    const operatorRelease = props.operatorReleaseName ?? CNPG_OPERATOR_RELEASE;
    assertValidProps(this, (problems) => {
      validatePostgres(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkNamespaceName(problems, "operatorNamespace", this.operatorNamespaceName);
      checkReleaseName(problems, "operatorReleaseName", operatorRelease);
    });
    this.spec = resolvePostgres(props.spec);
    this.operatorNamespace = new PlatformNamespace(this, "operator-namespace", {
      name: this.operatorNamespaceName,
      prometheusNamespace: service.prometheusNamespace,
      podSecurity: "restricted",
      kubernetesApi: true,
      webhookPorts: [OPERATOR_WEBHOOK_PORT],
      // The operator polls each instance manager's status endpoint.
      egressTo: [{ namespace: this.namespaceName, ports: [INSTANCE_STATUS_PORT, POSTGRES_PORT] }],
      metricsPorts: [OPERATOR_METRICS_PORT],
    });
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      prometheusNamespace: service.prometheusNamespace,
      podSecurity: "restricted",
      // Instance managers update their Cluster's status through the API.
      kubernetesApi: true,
      ingressFrom: [{ namespace: this.operatorNamespaceName, ports: [INSTANCE_STATUS_PORT, POSTGRES_PORT] }],
      clientPorts: [POSTGRES_PORT],
      metricsPorts: [INSTANCE_METRICS_PORT],
      // Base backups and WAL go to S3-compatible object storage over HTTPS.
      internetEgressPorts: this.spec.backup ? [443] : [],
    });

    this.operator = new PlatformRelease(this, "operator", {
      name: operatorRelease,
      namespace: this.operatorNamespace.namespace.metadata.name,
      source: CLOUDNATIVE_PG_CHART,
      values: {
        // Leader election keeps one active; a second replica takes over without a reschedule.
        replicaCount: service.tier === "production" ? 2 : 1,
        crds: { create: true },
        resources: CNPG_OPERATOR_RESOURCES,
        nodeSelector: service.placement.nodeSelector,
        tolerations: service.placement.tolerations,
        monitoring: { podMonitorEnabled: service.monitoring },
      },
      overrides: this.spec.values["cloudnative-pg"],
      dependsOn: [...service.dependsOn, ...this.operatorNamespace.dependables],
    });

    this.credentials = new ManifestsRelease(this, "credentials", {
      name: "postgres-credentials",
      namespace: this.namespaceName,
      manifests: this.credentialManifests(props.vaultStoreName ?? VAULT_SECRET_STORE),
      dependsOn: [...props.secretsReady, ...this.namespace.dependables],
    });

    this.clusters = this.spec.clusters.map(
      (cluster) =>
        new PlatformRelease(this, `cluster-${cluster.name}`, {
          name: cluster.name,
          namespace: this.namespace.namespace.metadata.name,
          source: CNPG_CLUSTER_CHART,
          values: clusterValues(cluster, this.spec, service),
          overrides: mergeValues(this.spec.values.cluster ?? {}, cluster.values),
          // initdb and the first base backup can take a while on a cold volume.
          timeoutSeconds: 900,
          dependsOn: [this.operator.release, this.credentials.helm.release],
          preventDestroy: service.preventDestroy,
        }),
    );
  }

  /** `host:port` of a cluster's read-write Service, inside the cluster. */
  public endpointOf(cluster: string): string {
    return `${serviceHost(`${cluster}-rw`, this.namespaceName)}:${POSTGRES_PORT}`;
  }

  private credentialManifests(vaultStore: string): KubernetesManifest[] {
    const manifests: KubernetesManifest[] = [];
    for (const cluster of this.spec.clusters) {
      for (const owner of new Set(cluster.databases.map((database) => database.owner))) {
        manifests.push(
          ...generatedSecretManifests({
            name: ownerSecretName(cluster.name, owner),
            namespace: this.namespaceName,
            type: "kubernetes.io/basic-auth",
            data: { username: owner, password: GENERATED_PASSWORD },
          }),
        );
      }
    }
    const backup = this.spec.backup;
    if (backup) {
      manifests.push({
        apiVersion: EXTERNAL_SECRETS_API,
        kind: "ExternalSecret",
        metadata: { name: POSTGRES_BACKUP_SECRET, namespace: this.namespaceName },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: vaultStore },
          target: { name: POSTGRES_BACKUP_SECRET, creationPolicy: "Owner" },
          data: [
            { secretKey: "ACCESS_KEY_ID", remoteRef: { key: backup.credentialsVaultPath, property: "access_key_id" } },
            { secretKey: "ACCESS_SECRET_KEY", remoteRef: { key: backup.credentialsVaultPath, property: "secret_access_key" } },
          ],
        },
      });
    }
    return manifests;
  }
}

function clusterValues(cluster: ResolvedPostgresCluster, spec: ResolvedPostgresSpec, props: ResolvedServiceProps): HelmValues {
  const [bootstrap, ...others] = cluster.databases;
  const owners = [...new Set(others.map((database) => database.owner))].filter((owner) => owner !== bootstrap.owner);
  const backup = spec.backup;
  return {
    // The Cluster is named exactly as declared, so its Services are <name>-rw / -ro / -r.
    fullnameOverride: cluster.name,
    type: "postgresql",
    mode: "standalone",
    cluster: {
      imageName: POSTGRES_IMAGE,
      instances: cluster.instances,
      storage: { size: cluster.storage.size, ...(cluster.storage.storageClass ? { storageClass: cluster.storage.storageClass } : {}) },
      resources: spec.resources,
      enableSuperuserAccess: false,
      // A budget on a single instance would block every node drain.
      enablePDB: cluster.instances >= 2,
      affinity: {
        enablePodAntiAffinity: true,
        podAntiAffinityType: hardAntiAffinity(props.tier) ? "required" : "preferred",
        topologyKey: "kubernetes.io/hostname",
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
      },
      postgresql: { parameters: cluster.parameters },
      initdb: { database: bootstrap.name, owner: bootstrap.owner, secret: { name: ownerSecretName(cluster.name, bootstrap.owner) } },
      roles: owners.map((owner) => ({
        name: owner,
        ensure: "present",
        login: true,
        passwordSecret: { name: ownerSecretName(cluster.name, owner) },
      })),
      monitoring: { enabled: true, podMonitor: { enabled: props.monitoring } },
    },
    databases: others.map((database) => ({ name: database.name, owner: database.owner, ensure: "present" })),
    backups: backup
      ? {
          enabled: true,
          method: "barmanObjectStore",
          provider: "s3",
          endpointURL: backup.endpoint,
          destinationPath: `s3://${backup.bucket}/${props.environmentName}/${cluster.name}`,
          secret: { create: false, name: POSTGRES_BACKUP_SECRET },
          // Encryption is left to the bucket: several S3-compatible stores reject the AES256 header.
          wal: { compression: "gzip", encryption: "", maxParallel: 2 },
          data: { compression: "gzip", encryption: "", jobs: 2 },
          scheduledBackups: [{ name: "scheduled", schedule: backup.schedule, backupOwnerReference: "self", method: "barmanObjectStore" }],
          retentionPolicy: backup.retention,
        }
      : { enabled: false },
  };
}
