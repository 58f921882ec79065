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
import {
  BARMAN_CLOUD_SIDECAR_IMAGE,
  BARMAN_CLOUD_PLUGIN_CHART,
  BARMAN_CLOUD_PLUGIN_IMAGE,
  CLOUDNATIVE_PG_CHART,
  CNPG_CLUSTER_CHART,
  POSTGRES_IMAGE,
} from "./chart";
import { imageParts, objectStoreManifest, scheduledBackupManifest, walArchiverPlugin } from "./barman";
import { backupDestination, PostgresSpec, ResolvedPostgresCluster, ResolvedPostgresSpec, resolvePostgres, validatePostgres } from "./spec";

export interface PostgresProps extends KubernetesServiceProps {
  /** @default - two clusters at the documented defaults */
  readonly spec?: PostgresSpec;
  /** External Secrets must be running to generate passwords and read the backup credentials; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
  /**
   * cert-manager must answer before the Barman Cloud plugin is installed: its
   * chart requests the plugin's and the operator's TLS certificates. Typically
   * the `CertManager` release.
   * @default [] - cert-manager installed outside this stack
   */
  readonly certManagerReady?: readonly ITerraformDependable[];
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
/** Receives ACCESS_KEY_ID / ACCESS_SECRET_KEY from Vault: the key names of the plugin's docs. */
export const POSTGRES_BACKUP_SECRET = "postgres-backup-s3";
/** The Barman Cloud plugin's release, in the operator's namespace. */
export const BARMAN_CLOUD_PLUGIN_RELEASE = "plugin-barman-cloud";
/** The sidecar that archives WAL and takes base backups in every instance pod. */
const BARMAN_SIDECAR_RESOURCES = { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } };
export const POSTGRES_PORT = 5432;
const INSTANCE_STATUS_PORT = 8000;
const INSTANCE_METRICS_PORT = 9187;
const OPERATOR_WEBHOOK_PORT = 9443;
const OPERATOR_METRICS_PORT = 8080;

/** A cluster's ObjectStore: where its base backups and WAL go. */
export function backupObjectStoreName(cluster: string): string {
  return `${cluster}-backups`;
}

/** Secret holding an owner's login: `<cluster>-<owner>`, basic-auth as CloudNativePG expects. */
export function ownerSecretName(cluster: string, owner: string): string {
  return `${cluster}-${owner.replace(/_/g, "-")}`;
}

/**
 * PostgreSQL clusters run by the CloudNativePG operator: one `cluster` chart
 * release per cluster, owners' passwords generated in the cluster, base
 * backups and WAL archived to object storage through the Barman Cloud plugin
 * (one ObjectStore per cluster, a ScheduledBackup each).
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
  /** The Barman Cloud plugin, in the operator's namespace; undefined without backups. */
  public readonly plugin?: PlatformRelease;
  /** One ObjectStore per cluster; undefined without backups. */
  public readonly objectStores?: ManifestsRelease;
  /** One ScheduledBackup per cluster; undefined without backups. */
  public readonly scheduledBackups?: ManifestsRelease;

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
      // The plugin's sidecars send base backups and WAL to S3-compatible object storage over HTTPS.
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
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } },
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

    const backup = this.spec.backup;
    if (backup) {
      // The operator finds the plugin by its Service in its own namespace and calls it there on 9090,
      // a path the namespace's own-pods rule already allows.
      this.plugin = new PlatformRelease(this, "plugin", {
        name: BARMAN_CLOUD_PLUGIN_RELEASE,
        namespace: this.operatorNamespace.namespace.metadata.name,
        source: BARMAN_CLOUD_PLUGIN_CHART,
        values: pluginValues(service),
        dependsOn: [this.operator.release, ...(props.certManagerReady ?? []), ...this.operatorNamespace.dependables],
      });
      this.objectStores = new ManifestsRelease(this, "object-stores", {
        name: "postgres-object-stores",
        namespace: this.namespaceName,
        manifests: this.spec.clusters.map((cluster) =>
          objectStoreManifest({
            name: backupObjectStoreName(cluster.name),
            namespace: this.namespaceName,
            destinationPath: backupDestination(backup, service.environmentName, cluster.name),
            endpoint: backup.endpoint,
            credentials: { name: POSTGRES_BACKUP_SECRET },
            retention: backup.retention,
            sidecarResources: BARMAN_SIDECAR_RESOURCES,
            labels: { "cnpg.io/cluster": cluster.name },
          }),
        ),
        // The ObjectStore CRD comes with the plugin; its keys with the credentials.
        dependsOn: [this.plugin.release, this.credentials.helm.release],
      });
    }

    this.clusters = this.spec.clusters.map(
      (cluster) =>
        new PlatformRelease(this, `cluster-${cluster.name}`, {
          name: cluster.name,
          namespace: this.namespace.namespace.metadata.name,
          source: CNPG_CLUSTER_CHART,
          values: clusterValues(cluster, this.spec, service),
          overrides: mergeValues(this.spec.values.cluster ?? {}, cluster.values),
          // initdb can take a while on a cold volume.
          timeoutSeconds: 900,
          // The cluster archives WAL to its ObjectStore from its first minute.
          dependsOn: [this.operator.release, this.credentials.helm.release, ...(this.objectStores ? [this.objectStores.helm.release] : [])],
          preventDestroy: service.preventDestroy,
        }),
    );

    if (backup) {
      this.scheduledBackups = new ManifestsRelease(this, "scheduled-backups", {
        name: "postgres-scheduled-backups",
        namespace: this.namespaceName,
        manifests: this.spec.clusters.map((cluster) =>
          scheduledBackupManifest({
            name: `${cluster.name}-scheduled-backup`,
            namespace: this.namespaceName,
            cluster: cluster.name,
            schedule: backup.schedule,
          }),
        ),
        // After the clusters: each takes its first base backup when its ScheduledBackup is created.
        dependsOn: this.clusters.map((release) => release.release),
      });
    }
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

/** The plugin's chart values: pinned images, the system pool, the restricted profile, its own certificates. */
function pluginValues(props: ResolvedServiceProps): HelmValues {
  return {
    replicaCount: 1,
    image: imageParts(BARMAN_CLOUD_PLUGIN_IMAGE),
    sidecarImage: imageParts(BARMAN_CLOUD_SIDECAR_IMAGE),
    // Installed and kept (helm.sh/resource-policy: keep) by the chart: deleting it would delete every ObjectStore.
    crds: { create: true },
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    nodeSelector: props.placement.nodeSelector,
    tolerations: props.placement.tolerations,
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
      capabilities: { drop: ["ALL"] },
    },
    // cert-manager issues both from the chart's own self-signed Issuer; the operator trusts the server's certificate as it is.
    certificate: { createClientCertificate: true, createServerCertificate: true, duration: "2160h", renewBefore: "360h" },
  };
}

function clusterValues(cluster: ResolvedPostgresCluster, spec: ResolvedPostgresSpec, props: ResolvedServiceProps): HelmValues {
  const [bootstrap, ...others] = cluster.databases;
  const owners = [...new Set(others.map((database) => database.owner))].filter((owner) => owner !== bootstrap.owner);
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
      // WAL goes to the cluster's own ObjectStore under its own name, as in-tree archiving did: earlier backups stay in reach.
      plugins: spec.backup ? [walArchiverPlugin(backupObjectStoreName(cluster.name), cluster.name)] : [],
    },
    databases: others.map((database) => ({ name: database.name, owner: database.owner, ensure: "present" })),
    // The chart's own backups stay off: its ObjectStore would be a Helm hook (see CNPG_CLUSTER_CHART).
    backups: { enabled: false },
  };
}
