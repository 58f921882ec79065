import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ProblemCollector } from "../../core/problems";
import { EXTERNAL_SECRETS_API, GENERATED_PASSWORD, generatedSecretManifests } from "../external-secrets/generated-secret";
import { VAULT_SECRET_STORE } from "../external-secrets/kubernetes";
import { KubernetesManifest, ManifestsRelease, manifestsChart } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { replaceTriggers } from "../common/lifecycle";
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
import { ReplaceMarker } from "../common/replace-marker";
import { terraformLiteral } from "../common/terraform-literal";
import { BARMAN_CLOUD_PLUGIN, CNPG_API, imageParts, objectStoreManifest, scheduledBackupManifest, walArchiverPlugin } from "./barman";
import {
  archiveServerName,
  checkCloneAgainstSource,
  cloneIdentity,
  cloneSourceObjectStoreName,
  cloneSourceSecretName,
  PostgresCloneInput,
  SANITISE_COMMAND,
  sanitiseJobName,
  sanitiseScriptKeys,
} from "./clone";
import {
  backupDestination,
  BARMAN_PLUGIN_RESOURCES,
  BARMAN_SIDECAR_RESOURCES,
  cloneReleaseName,
  CNPG_OPERATOR_RESOURCES,
  PostgresSpec,
  ResolvedPostgresClone,
  ResolvedPostgresCluster,
  ResolvedPostgresSpec,
  resolvePostgres,
  SANITISE_JOB_RESOURCES,
  validatePostgres,
} from "./spec";

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
  /**
   * Each clone's source and sanitising SQL, by cluster name: what a clone
   * needs beyond its spec, resolved from the other environments by the stack
   * (`postgresCloneInputs`). Every cluster with `cloneFrom` needs its entry.
   * @default {}
   */
  readonly clones?: Readonly<Record<string, PostgresCloneInput>>;
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
export const POSTGRES_PORT = 5432;
const INSTANCE_STATUS_PORT = 8000;
const INSTANCE_METRICS_PORT = 9187;
const OPERATOR_WEBHOOK_PORT = 9443;
const OPERATOR_METRICS_PORT = 8080;
/** postgres in CloudNativePG's images, whose psql the sanitising Job runs. */
const POSTGRES_UID = 26;
/** How long recovery and sanitising may take together before the Job fails: a large clone replays a lot of WAL. */
const SANITISE_DEADLINE_MINUTES = 180;

/** A cluster's ObjectStore: where its base backups and WAL go. */
export function backupObjectStoreName(cluster: string): string {
  return `${cluster}-backups`;
}

/** Secret holding an owner's login: `<cluster>-<owner>`, basic-auth as CloudNativePG expects. */
export function ownerSecretName(cluster: string, owner: string): string {
  return `${cluster}-${owner.replace(/_/g, "-")}`;
}

/** What a clone adds to its cluster: the refresh marker, the sanitising Job and what waits for it. */
export interface PostgresCloneResources {
  readonly cluster: string;
  /** A `terraform_data` holding the clone's identity; a change replaces the clone's releases and Job. */
  readonly marker: ReplaceMarker;
  /** The release of the Cluster, its recovery ObjectStore, Databases and monitors. */
  readonly release: PlatformRelease;
  readonly scripts: ConfigMapV1;
  /** Sanitises the recovered data; Terraform waits for it to complete. */
  readonly job: JobV1;
  /** The owners' credentials and the ScheduledBackup, created once the Job has completed. */
  readonly sanitised: ManifestsRelease;
}

/**
 * PostgreSQL clusters run by the CloudNativePG operator: one `cluster` chart
 * release per cluster, owners' passwords generated in the cluster, base
 * backups and WAL archived to object storage through the Barman Cloud plugin
 * (one ObjectStore per cluster, a ScheduledBackup each). A clone is
 * bootstrapped by recovery from another environment's backups, sanitised by
 * a Job, and only then gets its owners' credentials.
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
  /** One ScheduledBackup per cluster but clones (theirs wait for sanitising); undefined without backups. */
  public readonly scheduledBackups?: ManifestsRelease;
  public readonly clones: readonly PostgresCloneResources[];

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? POSTGRES_NAMESPACE;
    this.operatorNamespaceName = props.operatorNamespace ?? CNPG_OPERATOR_NAMESPACE;
    const operatorRelease = props.operatorReleaseName ?? CNPG_OPERATOR_RELEASE;
    const clones = props.clones ?? {};
    assertValidProps(this, (problems) => {
      validatePostgres(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkNamespaceName(problems, "operatorNamespace", this.operatorNamespaceName);
      checkReleaseName(problems, "operatorReleaseName", operatorRelease);
      if (problems.problems.length === 0) checkCloneInputs(resolvePostgres(props.spec), clones, service, problems);
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
            // A clone archives under a new server name per generation below the same path (clone.ts, archiveServerName).
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

    // A clone's release keeps the construct id of a `cluster` chart release: turning a cluster into a clone (or back)
    // changes the release's name, which Terraform can only do by uninstalling the old one and then installing the
    // new one, in that order: the Cluster is re-created from the source's backups, as bootstrap only applies then.
    const clusterDependencies = [
      this.operator.release,
      this.credentials.helm.release,
      ...(this.objectStores ? [this.objectStores.helm.release] : []),
    ];
    const clonesMade: PostgresCloneResources[] = [];
    this.clusters = this.spec.clusters.map((cluster) => {
      if (cluster.cloneFrom) {
        const clone = this.clone(cluster, cluster.cloneFrom, clones[cluster.name], service, clusterDependencies);
        clonesMade.push(clone);
        return clone.release;
      }
      return new PlatformRelease(this, `cluster-${cluster.name}`, {
        name: cluster.name,
        namespace: this.namespace.namespace.metadata.name,
        source: CNPG_CLUSTER_CHART,
        values: clusterValues(cluster, this.spec, service),
        overrides: mergeValues(this.spec.values.cluster ?? {}, cluster.values),
        // initdb can take a while on a cold volume.
        timeoutSeconds: 900,
        // The cluster archives WAL to its ObjectStore from its first minute.
        dependsOn: clusterDependencies,
        preventDestroy: service.preventDestroy,
      });
    });
    this.clones = clonesMade;

    const scheduled = this.spec.clusters.filter((cluster) => cluster.cloneFrom === undefined);
    if (backup && scheduled.length > 0) {
      this.scheduledBackups = new ManifestsRelease(this, "scheduled-backups", {
        name: "postgres-scheduled-backups",
        namespace: this.namespaceName,
        manifests: scheduled.map((cluster) => this.scheduledBackup(cluster.name, backup.schedule)),
        // After the clusters: each takes its first base backup when its ScheduledBackup is created.
        dependsOn: this.clusters
          .filter((_release, index) => this.spec.clusters[index].cloneFrom === undefined)
          .map((release) => release.release),
      });
    }
  }

  /**
   * What a delivery of a cluster's credentials to applications must wait for:
   * the owners' Secrets, which for a clone exist only once its sanitising Job
   * has completed.
   */
  public credentialsReady(cluster: string): ITerraformDependable[] {
    const clone = this.clones.find((candidate) => candidate.cluster === cluster);
    if (clone) return [clone.sanitised.helm.release];
    const index = this.spec.clusters.findIndex((candidate) => candidate.name === cluster);
    if (index < 0) throw new Error(`${this.node.path}: no PostgreSQL cluster named ${cluster}`);
    return [this.credentials.helm.release, this.clusters[index].release];
  }

  /** `host:port` of a cluster's read-write Service, inside the cluster. */
  public endpointOf(cluster: string): string {
    return `${serviceHost(`${cluster}-rw`, this.namespaceName)}:${POSTGRES_PORT}`;
  }

  private credentialManifests(vaultStore: string): KubernetesManifest[] {
    const manifests: KubernetesManifest[] = [];
    for (const cluster of this.spec.clusters) {
      // A clone's owners get theirs once it is sanitised (PostgresCloneResources.sanitised).
      if (cluster.cloneFrom === undefined) manifests.push(...this.ownerSecrets(cluster));
    }
    const backup = this.spec.backup;
    if (backup) manifests.push(vaultKeys(POSTGRES_BACKUP_SECRET, this.namespaceName, vaultStore, backup.credentialsVaultPath));
    for (const cluster of this.spec.clusters) {
      // Read-only keys to the source's backups, before the clone bootstraps from them.
      if (cluster.cloneFrom) {
        manifests.push(
          vaultKeys(cloneSourceSecretName(cluster.name), this.namespaceName, vaultStore, cluster.cloneFrom.credentialsVaultPath),
        );
      }
    }
    return manifests;
  }

  /** Each owner's login, generated in the cluster: `<cluster>-<owner>`, basic-auth. */
  private ownerSecrets(cluster: ResolvedPostgresCluster): KubernetesManifest[] {
    return [...new Set(cluster.databases.map((database) => database.owner))].flatMap((owner) =>
      generatedSecretManifests({
        name: ownerSecretName(cluster.name, owner),
        namespace: this.namespaceName,
        type: "kubernetes.io/basic-auth",
        data: { username: owner, password: GENERATED_PASSWORD },
      }),
    );
  }

  private scheduledBackup(cluster: string, schedule: string): KubernetesManifest {
    return scheduledBackupManifest({ name: `${cluster}-scheduled-backup`, namespace: this.namespaceName, cluster, schedule });
  }

  /**
   * A clone: its marker, its release (recovery ObjectStore, Cluster,
   * Databases, monitors), the sanitising scripts and Job, and the release
   * that waits for the Job (owners' credentials, ScheduledBackup). The
   * marker's change replaces the three in dependency order: the delivered
   * credentials go first, and come back only after the new Job completes.
   */
  private clone(
    cluster: ResolvedPostgresCluster,
    clone: ResolvedPostgresClone,
    input: PostgresCloneInput,
    service: ResolvedServiceProps,
    dependencies: readonly ITerraformDependable[],
  ): PostgresCloneResources {
    const name = cluster.name;
    const marker = new ReplaceMarker(this, `clone-${name}-refresh`, { input: cloneIdentity(clone) });
    const release = new PlatformRelease(this, `cluster-${name}`, {
      name: cloneReleaseName(name),
      namespace: this.namespace.namespace.metadata.name,
      source: manifestsChart(this),
      values: { manifests: this.cloneManifests(cluster, clone, input, service) },
      timeoutSeconds: 300,
      dependsOn: [...dependencies, ...(this.plugin ? [this.plugin.release] : [])],
      replaceTriggeredBy: [marker],
    });
    const scripts = new ConfigMapV1(this, `clone-${name}-sanitise-scripts`, {
      metadata: { name: sanitiseJobName(name), namespace: this.namespaceName, labels: { "platform/clone": name } },
      data: Object.fromEntries(sanitiseScriptKeys(input.scripts).map((key, index) => [key, terraformLiteral(input.scripts[index].sql)])),
      dependsOn: this.namespace.dependables,
    });
    const job = this.sanitiseJob(name, service, [release.release, scripts], marker);
    const backup = this.spec.backup;
    const sanitised = new ManifestsRelease(this, `clone-${name}-sanitised`, {
      name: `postgres-${name}-sanitised`,
      namespace: this.namespaceName,
      manifests: [...this.ownerSecrets(cluster), ...(backup ? [this.scheduledBackup(name, backup.schedule)] : [])],
      dependsOn: [job],
      replaceTriggeredBy: [marker],
    });
    return { cluster: name, marker, release, scripts, job, sanitised };
  }

  private cloneManifests(
    cluster: ResolvedPostgresCluster,
    clone: ResolvedPostgresClone,
    input: PostgresCloneInput,
    service: ResolvedServiceProps,
  ): KubernetesManifest[] {
    const name = cluster.name;
    const namespace = this.namespaceName;
    const [bootstrap, ...others] = cluster.databases;
    const owners = [...new Set(others.map((database) => database.owner))].filter((owner) => owner !== bootstrap.owner);
    const origin = `${input.source.environment}-${input.source.cluster}`;
    const labels = { "cnpg.io/cluster": name, "platform/clone": name };
    const manifests: KubernetesManifest[] = [
      // Read only, with read-only keys: no retention, no wal/data settings.
      objectStoreManifest({
        name: cloneSourceObjectStoreName(name),
        namespace,
        destinationPath: input.source.destinationPath,
        endpoint: input.source.endpoint,
        credentials: { name: cloneSourceSecretName(name) },
        labels,
      }),
      {
        apiVersion: CNPG_API,
        kind: "Cluster",
        metadata: { name, namespace, labels: { "platform/clone": name } },
        spec: {
          instances: cluster.instances,
          imageName: POSTGRES_IMAGE,
          postgresUID: POSTGRES_UID,
          postgresGID: POSTGRES_UID,
          storage: { size: cluster.storage.size, ...(cluster.storage.storageClass ? { storageClass: cluster.storage.storageClass } : {}) },
          resources: this.spec.resources,
          // The sanitising Job logs in as postgres, whose password the operator sets once recovery is done.
          enableSuperuserAccess: true,
          enablePDB: cluster.instances >= 2,
          affinity: instanceAffinity(service),
          primaryUpdateMethod: "switchover",
          primaryUpdateStrategy: "unsupervised",
          // As the source: PostgreSQL replays its WAL with the same settings.
          postgresql: { parameters: cluster.parameters },
          ...(owners.length > 0
            ? {
                managed: {
                  roles: owners.map((owner) => ({
                    name: owner,
                    ensure: "present",
                    login: true,
                    passwordSecret: { name: ownerSecretName(name, owner) },
                  })),
                },
              }
            : {}),
          bootstrap: {
            recovery: {
              source: origin,
              database: bootstrap.name,
              owner: bootstrap.owner,
              // Created only after sanitising: until then the owner keeps the source's password, which no one here knows.
              secret: { name: ownerSecretName(name, bootstrap.owner) },
              ...(clone.pointInTime ? { recoveryTarget: { targetTime: clone.pointInTime } } : {}),
            },
          },
          externalClusters: [
            {
              name: origin,
              plugin: {
                name: BARMAN_CLOUD_PLUGIN,
                parameters: { barmanObjectName: cloneSourceObjectStoreName(name), serverName: input.source.serverName },
              },
            },
          ],
          // Its own WAL and backups go to its own path, under a server name new with each generation.
          ...(this.spec.backup ? { plugins: [walArchiverPlugin(backupObjectStoreName(name), archiveServerName(cluster))] } : {}),
        },
      },
      ...others.map((database) => ({
        apiVersion: CNPG_API,
        kind: "Database",
        metadata: { name: `${name}-${database.name.replace(/_/g, "-")}`, namespace, labels },
        spec: { name: database.name, cluster: { name }, ensure: "present", owner: database.owner, databaseReclaimPolicy: "retain" },
      })),
    ];
    if (service.monitoring) {
      manifests.push(
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: `${name}-cluster-podmonitor`, namespace, labels },
          spec: {
            selector: { matchLabels: { "cnpg.io/cluster": name, "cnpg.io/podRole": "instance" } },
            podMetricsEndpoints: [{ port: "metrics" }],
          },
        },
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: sanitiseJobName(name), namespace, labels },
          spec: {
            groups: [
              {
                name: `postgres-clone-${name}`,
                rules: [
                  {
                    alert: "PostgresCloneSanitiseFailed",
                    // kube-state-metrics: the Job's Failed condition (backoff exhausted or deadline exceeded).
                    expr: `kube_job_failed{namespace="${namespace}", job_name="${sanitiseJobName(name)}", condition="true"} == 1`,
                    labels: { severity: "critical" },
                    annotations: {
                      summary: `The clone ${namespace}/${name} was not sanitised: applications get no credentials`,
                      description: `Job ${namespace}/${sanitiseJobName(name)} failed. Read its logs (kubectl -n ${namespace} logs job/${sanitiseJobName(name)}), fix the script or the cluster, then refresh the clone.`,
                    },
                  },
                ],
              },
            ],
          },
        },
      );
    }
    return manifests;
  }

  /**
   * The Job that sanitises a clone: as the clone's superuser, over TLS
   * verified with the cluster's CA, it waits for the recovered primary, then
   * runs the scripts. Terraform waits for it to complete (a failure fails
   * the apply and leaves the Job to read); it is replaced with the clone.
   */
  private sanitiseJob(name: string, service: ResolvedServiceProps, dependsOn: ITerraformDependable[], marker: ReplaceMarker): JobV1 {
    const jobName = sanitiseJobName(name);
    const labels = { "app.kubernetes.io/name": "postgres-sanitise", "platform/clone": name };
    const fromSuperuserSecret = (key: string) => ({ secretKeyRef: { name: `${name}-superuser`, key } });
    return new JobV1(this, `clone-${name}-sanitise`, {
      metadata: { name: jobName, namespace: this.namespaceName, labels },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: SANITISE_DEADLINE_MINUTES * 60,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            nodeSelector: { ...service.placement.nodeSelector },
            toleration: service.placement.tolerations.map((toleration) => ({ ...toleration })),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(POSTGRES_UID),
              runAsGroup: String(POSTGRES_UID),
              seccompProfile: { type: "RuntimeDefault" },
            },
            container: [
              {
                name: "sanitise",
                image: POSTGRES_IMAGE,
                command: ["/bin/sh", "-eu", "-c", SANITISE_COMMAND],
                env: [
                  { name: "PGHOST", value: `${name}-rw` },
                  { name: "PGPORT", value: String(POSTGRES_PORT) },
                  { name: "PGDATABASE", value: "postgres" },
                  { name: "PGUSER", valueFrom: fromSuperuserSecret("username") },
                  { name: "PGPASSWORD", valueFrom: fromSuperuserSecret("password") },
                  { name: "PGSSLMODE", value: "verify-full" },
                  { name: "PGSSLROOTCERT", value: "/ca/ca.crt" },
                  { name: "PGCONNECT_TIMEOUT", value: "10" },
                  { name: "PGAPPNAME", value: jobName },
                ],
                // The provider's schema is a string map; the platform's sizes are typed fields.
                resources: { requests: { ...SANITISE_JOB_RESOURCES.requests }, limits: { ...SANITISE_JOB_RESOURCES.limits } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMount: [
                  { name: "scripts", mountPath: "/sanitise", readOnly: true },
                  { name: "ca", mountPath: "/ca", readOnly: true },
                ],
              },
            ],
            volume: [
              { name: "scripts", configMap: { name: jobName } },
              { name: "ca", secret: { secretName: `${name}-ca`, items: [{ key: "ca.crt", path: "ca.crt" }] } },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: `${SANITISE_DEADLINE_MINUTES + 10}m`, update: `${SANITISE_DEADLINE_MINUTES + 10}m` },
      dependsOn,
      lifecycle: { replaceTriggeredBy: replaceTriggers([marker]) },
    });
  }
}

/** An ExternalSecret that copies S3 keys from Vault into `name`, under the key names the plugin reads. */
function vaultKeys(name: string, namespace: string, vaultStore: string, vaultPath: string): KubernetesManifest {
  return {
    apiVersion: EXTERNAL_SECRETS_API,
    kind: "ExternalSecret",
    metadata: { name, namespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: vaultStore },
      target: { name, creationPolicy: "Owner" },
      data: [
        { secretKey: "ACCESS_KEY_ID", remoteRef: { key: vaultPath, property: "access_key_id" } },
        { secretKey: "ACCESS_SECRET_KEY", remoteRef: { key: vaultPath, property: "secret_access_key" } },
      ],
    },
  };
}

/**
 * A construct's clone inputs match its spec: each clone has its resolved
 * source and its scripts' SQL, as declared, and follows the rules between a
 * clone and its source; nothing keeps Terraform from replacing it.
 */
function checkCloneInputs(
  spec: ResolvedPostgresSpec,
  clones: Readonly<Record<string, PostgresCloneInput>>,
  service: ResolvedServiceProps,
  problems: ProblemCollector,
): void {
  const cloneNames = spec.clusters.filter((cluster) => cluster.cloneFrom).map((cluster) => cluster.name);
  for (const extra of Object.keys(clones).filter((name) => !cloneNames.includes(name))) {
    problems.add(
      "clones",
      "names a cluster that is not a clone",
      extra,
      `use the name of a cluster with cloneFrom: ${cloneNames.join(", ") || "none"}`,
    );
  }
  spec.clusters.forEach((cluster, index) => {
    const clone = cluster.cloneFrom;
    if (clone === undefined) return;
    const at = problems.at("spec").at("clusters").at(index);
    const input = clones[cluster.name];
    if (input === undefined) {
      problems.add(
        `clones.${cluster.name}`,
        "a clone needs its source's backup location and its sanitising SQL",
        undefined,
        "pass them; the stack resolves them from the source environment's declaration and the repository",
      );
      return;
    }
    at.check(
      input.source.environment === clone.environment && input.source.cluster === clone.cluster,
      "cloneFrom",
      `the source passed, ${input.source.environment}'s ${input.source.cluster}, is not the one declared`,
      { environment: clone.environment, cluster: clone.cluster },
      "pass the declared source",
    );
    const declared = clone.sanitise.map((script) => `${script.file} in ${script.database}`);
    const passed = input.scripts.map((script) => `${script.file} in ${script.database}`);
    at.check(
      JSON.stringify(declared) === JSON.stringify(passed),
      "cloneFrom.sanitise",
      `the scripts passed, ${passed.join(", ") || "none"}, are not the ones declared`,
      declared,
      "pass each declared script's SQL, in order",
    );
    const own = spec.backup ? backupDestination(spec.backup, service.environmentName, cluster.name) : undefined;
    checkCloneAgainstSource(cluster.databases, input.source, own, at);
    at.check(
      !service.preventDestroy,
      "cloneFrom",
      "prevent_destroy keeps Terraform from replacing the clone, which every refresh does",
      { environment: clone.environment, cluster: clone.cluster },
      "build clones without preventDestroy",
    );
  });
}

/** The plugin's chart values: pinned images, the system pool, the restricted profile, its own certificates. */
function pluginValues(props: ResolvedServiceProps): HelmValues {
  return {
    replicaCount: 1,
    image: imageParts(BARMAN_CLOUD_PLUGIN_IMAGE),
    sidecarImage: imageParts(BARMAN_CLOUD_SIDECAR_IMAGE),
    // Installed and kept (helm.sh/resource-policy: keep) by the chart: deleting it would delete every ObjectStore.
    crds: { create: true },
    resources: BARMAN_PLUGIN_RESOURCES,
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

/** Instances on separate nodes (required where hardAntiAffinity holds) of the service's pool: the Cluster's `affinity`. */
function instanceAffinity(props: ResolvedServiceProps): HelmValues {
  return {
    enablePodAntiAffinity: true,
    podAntiAffinityType: hardAntiAffinity(props.tier) ? "required" : "preferred",
    topologyKey: "kubernetes.io/hostname",
    nodeSelector: props.placement.nodeSelector,
    tolerations: props.placement.tolerations,
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
      affinity: instanceAffinity(props),
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
