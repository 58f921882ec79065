import { ENVIRONMENTS } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { POSTGRES_DEFAULT_CLUSTERS, POSTGRES_DEFAULT_PARAMETERS, resolvePostgres } from "../../constructs/postgres/spec";
import { POSTGRES_IMAGE } from "../../constructs/postgres/chart";
import { problemsOf } from "../support/environments";
import { allowRules, internetRule } from "../support/namespaces";
import { dependsOn, helmRelease as release } from "../support/releases";
import { helmRelease, releaseManifests, releaseValues, synthEnvironment } from "../support/synth";

/** The environment with its PostgreSQL service changed, without the teams whose databases need its clusters. */
function withPostgres(base: KubernetesEnvironmentConfig, patch: object): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, postgres: { ...base.services?.postgres, ...patch } }, teams: [] };
}

describe("PostgreSQL validation", () => {
  test("fails when a cluster declares one database twice", () => {
    const clusters = [
      {
        name: "platform",
        databases: [
          { name: "app", owner: "app" },
          { name: "app", owner: "other" },
        ],
      },
    ];
    expect(problemsOf(withPostgres(staging, { clusters }))).toEqual([
      'environments/staging.ts: services.postgres.clusters[0].databases[1].name: database is declared twice in cluster platform (got "app"; declare each database once; one owner may own several databases)',
    ]);
  });

  test("fails when a staging cluster has a single instance", () => {
    expect(problemsOf(withPostgres(staging, { instances: 1 }))).toEqual([
      expect.stringContaining(
        "environments/staging.ts: services.postgres.clusters[0].instances: 1 instance in a staging environment cannot survive losing one (got 1; use 2 or more)",
      ),
      expect.stringContaining("services.postgres.clusters[1].instances:"),
    ]);
  });

  test("fails when production has fewer than 3 instances", () => {
    expect(problemsOf(withPostgres(production, { instances: 2 }))).toContainEqual(
      expect.stringContaining(
        "services.postgres.clusters[0].instances: 2 instances in a production environment cannot survive losing one while another is being replaced (got 2;",
      ),
    );
  });

  test("fails when a database has no owner", () => {
    const clusters = [{ name: "platform", databases: [{ name: "platform", owner: "" }] }];
    expect(problemsOf(withPostgres(dev, { clusters }))).toEqual([
      'environments/dev.ts: services.postgres.clusters[0].databases[0].owner: database has no owner (got ""; name the role that owns it, e.g. the application\'s name)',
    ]);
  });

  test("fails when the superuser owns a database", () => {
    const clusters = [{ name: "platform", databases: [{ name: "platform", owner: "postgres" }] }];
    expect(problemsOf(withPostgres(dev, { clusters }))).toEqual([
      expect.stringContaining("databases[0].owner: the superuser cannot own an application database"),
    ]);
  });

  test("fails when cluster names repeat or a cluster has no database", () => {
    const clusters = [
      { name: "platform", databases: [{ name: "a", owner: "a" }] },
      { name: "platform", databases: [] },
    ];
    expect(problemsOf(withPostgres(dev, { clusters }))).toEqual([
      expect.stringContaining('services.postgres.clusters[1].name: cluster name is used twice (got "platform";'),
      expect.stringContaining("services.postgres.clusters[1].databases: a cluster needs at least one database (got [];"),
    ]);
  });

  test("fails when staging or production have no backups", () => {
    expect(problemsOf(withPostgres(staging, { backup: undefined }))).toEqual([
      expect.stringContaining(
        "environments/staging.ts: services.postgres.backup: a staging environment needs scheduled PostgreSQL backups (got nothing; declare backup: { bucket, endpoint }, the object storage for base backups and WAL)",
      ),
    ]);
  });

  test("fails when the backup schedule lacks the seconds field or retention is malformed", () => {
    const backup = {
      bucket: "platform-postgres-backups",
      endpoint: "https://s3.gra.io.cloud.ovh.net",
      schedule: "0 */6 * * *",
      retention: "7 days",
    };
    expect(problemsOf(withPostgres(staging, { backup }))).toEqual([
      expect.stringContaining(
        'services.postgres.backup.schedule: "0 */6 * * *" has 5 fields: CloudNativePG reads the first as seconds, so it would run at second "0", minute "*/6", hour "*", day of month "*", month "*" (got "0 */6 * * *"; write 6 fields, seconds first, e.g. "0 0 */6 * * *")',
      ),
      expect.stringContaining('services.postgres.backup.retention: retention is not a Barman retention (got "7 days";'),
    ]);
  });

  test("fails when the schedule has a value out of its field's range", () => {
    const backup = {
      ...staging.services?.postgres?.backup,
      bucket: "platform-postgres-backups",
      endpoint: "https://s3.gra.io.cloud.ovh.net",
    };
    expect(problemsOf(withPostgres(staging, { backup: { ...backup, schedule: "0 0 24 * * *" } }))).toEqual([
      'environments/staging.ts: services.postgres.backup.schedule: field 3 (hours) is 24 (got "0 0 24 * * *"; hours run 0-23)',
    ]);
  });

  test.each([
    ["7 days", 'write "7d"'],
    ["1 year", 'write "12m"'],
    ["168h", 'write "7d"'],
    ["4weeks", 'write "4w"'],
    ["forever", "use a number of days, weeks or months, e.g. 7d, 4w, 3m"],
  ])("fails when the retention is %j, and says what Barman reads", (retention, fix) => {
    const backup = { bucket: "platform-postgres-backups", endpoint: "https://s3.gra.io.cloud.ovh.net", retention };
    expect(problemsOf(withPostgres(staging, { backup }))).toEqual([
      `environments/staging.ts: services.postgres.backup.retention: retention is not a Barman retention (got ${JSON.stringify(retention)}; ${fix}; Barman counts d days, w weeks and m months of 31 days)`,
    ]);
  });

  test("fails when an OVHcloud backup endpoint names a region that does not exist", () => {
    const backup = { bucket: "platform-postgres-backups", endpoint: "https://s3.ap-southeast-sgp.io.cloud.ovh.net" };
    expect(problemsOf(withPostgres(staging, { backup }))).toEqual([
      'environments/staging.ts: services.postgres.backup.endpoint: ap-southeast-sgp is not an OVHcloud Object Storage region (got "https://s3.ap-southeast-sgp.io.cloud.ovh.net"; did you mean https://s3.sgp.io.cloud.ovh.net?)',
    ]);
  });

  test("passes another S3-compatible store's endpoint", () => {
    const backup = { bucket: "platform-postgres-backups", endpoint: "https://minio.example.com" };
    expect(problemsOf(withPostgres(staging, { backup }))).toEqual([]);
  });
});

describe("PostgreSQL parameters", () => {
  test("fail at the service's path or the cluster's, whichever sets them", () => {
    const clusters = [
      { name: "platform", databases: [{ name: "platform", owner: "platform" }], parameters: { archive_mode: "on", work_mem: "64mb" } },
    ];
    expect(problemsOf(withPostgres(staging, { parameters: { shared_bufers: "1GB", "pg_stat_statements.max": "1000" }, clusters }))).toEqual(
      [
        'environments/staging.ts: services.postgres.clusters[0].parameters.archive_mode: archive_mode is set by the CloudNativePG operator: WAL archiving goes through the instance manager (got "on"; remove it; configure backups with the Barman Cloud plugin)',
        'environments/staging.ts: services.postgres.clusters[0].parameters.work_mem: work_mem "64mb" has the unit "mb", which is not one of PostgreSQL\'s memory units (B, kB, MB, GB, TB; case-sensitive) (got "64mb"; write "64MB")',
        'environments/staging.ts: services.postgres.parameters.shared_bufers: shared_bufers is not a PostgreSQL parameter the platform lets an environment set (got "1GB"; did you mean shared_buffers?)',
        'environments/staging.ts: services.postgres.parameters["pg_stat_statements.max"]: pg_stat_statements.max is not a PostgreSQL parameter the platform lets an environment set (got "1000"; use one of POSTGRES_PARAMETERS in core/postgres-parameters.ts, or add it there with its PostgreSQL 18 range)',
      ],
    );
  });

  test("fail when a value is out of the parameter's range", () => {
    expect(problemsOf(withPostgres(staging, { parameters: { checkpoint_timeout: "10s" } }))).toEqual([
      'environments/staging.ts: services.postgres.parameters.checkpoint_timeout: checkpoint_timeout "10s" is 10s, below its minimum of 30s (got "10s"; use 30s to 1d)',
    ]);
  });

  test("fail when shared_buffers does not fit the instances' memory limit, where it is set", () => {
    const resources = { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } };
    expect(problemsOf(withPostgres(production, { resources }))).toEqual([
      'environments/production.ts: services.postgres.parameters.shared_buffers: shared_buffers 2GB does not fit the PostgreSQL container\'s memory limit, 1Gi: the kernel kills the instance once the cache fills (got "2GB"; lower shared_buffers to about a quarter of the limit, 256MB, or raise resources.limits.memory and requests.memory to 8Gi)',
    ]);
    const clusters = [{ name: "platform", databases: [{ name: "platform", owner: "platform" }], parameters: { shared_buffers: "1GB" } }];
    expect(problemsOf(withPostgres(staging, { clusters }))).toEqual([
      'environments/staging.ts: services.postgres.clusters[0].parameters.shared_buffers: shared_buffers 1GB does not fit the PostgreSQL container\'s memory limit, 1Gi: the kernel kills the instance once the cache fills (got "1GB"; lower shared_buffers to about a quarter of the limit, 256MB, or raise resources.limits.memory and requests.memory to 4Gi)',
    ]);
  });

  test("fail at the memory limit when the default shared_buffers does not fit it", () => {
    const resources = { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "256Mi" } };
    expect(problemsOf(withPostgres(staging, { resources }))).toEqual([
      'environments/staging.ts: services.postgres.resources.limits.memory: shared_buffers 256MB does not fit the PostgreSQL container\'s memory limit, 256Mi: the kernel kills the instance once the cache fills (got "256Mi"; lower shared_buffers to about a quarter of the limit, 64MB, or raise resources.limits.memory and requests.memory to 1Gi)',
    ]);
  });
});

describe("PostgreSQL backup path", () => {
  const backup = { bucket: "platform-postgres-backups", endpoint: "https://s3.gra.io.cloud.ovh.net" };

  test("each cluster writes under the environment's name, or under backup.path when set", () => {
    const destination = (config: KubernetesEnvironmentConfig) =>
      releaseManifests(synthEnvironment(config), "postgres-object-stores").map((store) => store.spec.configuration.destinationPath);
    expect(destination(withPostgres(dev, { backup }))).toEqual([
      "s3://platform-postgres-backups/dev/platform",
      "s3://platform-postgres-backups/dev/applications",
    ]);
    expect(destination(withPostgres(dev, { backup: { ...backup, path: "teams/dev-2025" } }))).toEqual([
      "s3://platform-postgres-backups/teams/dev-2025/platform",
      "s3://platform-postgres-backups/teams/dev-2025/applications",
    ]);
  });

  test.each(["/dev", "dev/", "dev//a", "Dev", "../production"])("fails when backup.path is %j", (path) => {
    expect(problemsOf(withPostgres(dev, { backup: { ...backup, path } }))).toEqual([
      `environments/dev.ts: services.postgres.backup.path: backup path is not a folder path (got ${JSON.stringify(path)}; use lowercase letters, digits, '.', '_' and '-' in segments separated by single '/', without a leading or trailing '/')`,
    ]);
  });
});

describe("PostgreSQL defaults", () => {
  test("two clusters, 3 instances, 20Gi, the documented parameters, no backups", () => {
    const resolved = resolvePostgres(undefined);
    expect(resolved.clusters.map((cluster) => cluster.name)).toEqual(POSTGRES_DEFAULT_CLUSTERS.map((cluster) => cluster.name));
    expect(resolved.clusters[0]).toMatchObject({ instances: 3, storage: { size: "20Gi" } });
    expect(POSTGRES_DEFAULT_PARAMETERS).toEqual({
      shared_buffers: "256MB",
      effective_cache_size: "1GB",
      work_mem: "16MB",
      max_connections: "200",
    });
    expect(resolved.clusters[0].parameters).toEqual(POSTGRES_DEFAULT_PARAMETERS);
    expect(resolved.backup).toBeUndefined();
  });

  test("backups run every 6 hours and keep 7 days unless told otherwise", () => {
    expect(resolvePostgres({ backup: { bucket: "b-1", endpoint: "https://s3.example.net" } }).backup).toEqual({
      bucket: "b-1",
      endpoint: "https://s3.example.net",
      schedule: "0 0 */6 * * *",
      retention: "7d",
      credentialsVaultPath: "postgres/backup-s3",
    });
  });
});

describe("PostgreSQL releases", () => {
  const prod = synthEnvironment(production);

  test("install the CloudNativePG operator, then one cluster chart release per cluster", () => {
    expect(helmRelease(prod, "cloudnative-pg")).toMatchObject({
      repository: "https://cloudnative-pg.github.io/charts",
      chart: "cloudnative-pg",
      version: "0.29.0",
    });
    for (const name of ["platform", "applications"]) {
      expect(helmRelease(prod, name)).toMatchObject({ chart: "cluster", version: "0.8.1", lifecycle: { prevent_destroy: true } });
    }
  });

  test("production clusters: 3 instances, PDB, required anti-affinity on the system pool, environment parameters", () => {
    const values = releaseValues(prod, "platform");
    expect(values.fullnameOverride).toBe("platform");
    expect(values.cluster).toMatchObject({
      instances: 3,
      enablePDB: true,
      enableSuperuserAccess: false,
      storage: { size: "100Gi" },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: "required", nodeSelector: { "platform/pool": "system" } },
      postgresql: { parameters: { shared_buffers: "2GB", effective_cache_size: "6GB", work_mem: "16MB", max_connections: "200" } },
      monitoring: { enabled: true, podMonitor: { enabled: true } },
    });
  });

  test("dev runs one instance without a disruption budget", () => {
    expect(releaseValues(synthEnvironment(dev), "platform").cluster).toMatchObject({ instances: 1, enablePDB: false });
  });

  test("owners log in with passwords generated in the cluster", () => {
    const values = releaseValues(prod, "applications");
    expect(values.cluster.initdb).toEqual({ database: "app", owner: "app", secret: { name: "applications-app" } });
    const secret = releaseManifests(prod, "postgres-credentials").find(
      (m) => m.kind === "ExternalSecret" && m.metadata.name === "applications-app",
    );
    expect(secret?.spec.target.template).toEqual({
      type: "kubernetes.io/basic-auth",
      engineVersion: "v2",
      data: { username: "app", password: "{{ .password }}" },
    });
  });

  test("additional databases and owners become managed roles and Database objects", () => {
    const clusters = [
      {
        name: "shop",
        databases: [
          { name: "orders", owner: "orders" },
          { name: "billing", owner: "billing" },
          { name: "reports", owner: "orders" },
        ],
      },
    ];
    const stack = synthEnvironment(withPostgres(dev, { clusters }));
    const values = releaseValues(stack, "shop");
    expect(values.cluster.roles).toEqual([{ name: "billing", ensure: "present", login: true, passwordSecret: { name: "shop-billing" } }]);
    expect(values.databases).toEqual([
      { name: "billing", owner: "billing", ensure: "present" },
      { name: "reports", owner: "orders", ensure: "present" },
    ]);
  });

  test("clusters run the standard PostgreSQL image: the deprecated system image only added in-tree Barman Cloud", () => {
    expect(POSTGRES_IMAGE).toBe("ghcr.io/cloudnative-pg/postgresql:18.4-standard-trixie");
    expect(releaseValues(prod, "platform").cluster.imageName).toBe(POSTGRES_IMAGE);
  });
});

describe("PostgreSQL backups through the Barman Cloud plugin", () => {
  const prod = synthEnvironment(production);

  test("the plugin runs in the operator's namespace, pinned, after the operator and cert-manager", () => {
    const plugin = release(prod, "plugin-barman-cloud");
    expect(plugin.attributes).toMatchObject({
      repository: "https://cloudnative-pg.github.io/charts",
      chart: "plugin-barman-cloud",
      version: "0.7.0",
      namespace: expect.stringContaining("kubernetes_namespace_v1.postgres_operator-namespace_"),
    });
    expect(plugin.values).toMatchObject({
      image: { registry: "ghcr.io", repository: "cloudnative-pg/plugin-barman-cloud", tag: "v0.14.0" },
      sidecarImage: { registry: "ghcr.io", repository: "cloudnative-pg/plugin-barman-cloud-sidecar", tag: "v0.14.0" },
      crds: { create: true },
      nodeSelector: { "platform/pool": "system" },
      certificate: { createClientCertificate: true, createServerCertificate: true },
    });
    expect(dependsOn(plugin)).toEqual(
      expect.arrayContaining([release(prod, "cloudnative-pg").address, release(prod, "cert-manager").address]),
    );
  });

  test("the operator reaches the plugin in its own namespace; instances reach object storage on 443", () => {
    // The plugin's gRPC port (9090) is inside cnpg-system: the own-pods rule covers it, both ways.
    const operator = allowRules(production, "postgres_operator-namespace");
    expect(operator.ingress[0]).toEqual({ from: [{ pod_selector: {} }] });
    expect(operator.egress[0]).toEqual({ to: [{ pod_selector: {} }] });
    expect(internetRule(allowRules(production, "postgres_namespace"))?.ports).toEqual([{ port: "443", protocol: "TCP" }]);
  });

  test("one ObjectStore per cluster: the environment's path, retention and Vault credentials", () => {
    const stores = releaseManifests(prod, "postgres-object-stores");
    expect(stores.map((store) => `${store.kind}/${store.metadata.name}`)).toEqual([
      "ObjectStore/platform-backups",
      "ObjectStore/applications-backups",
    ]);
    expect(stores[0]).toEqual({
      apiVersion: "barmancloud.cnpg.io/v1",
      kind: "ObjectStore",
      metadata: { name: "platform-backups", namespace: "postgres", labels: { "cnpg.io/cluster": "platform" } },
      spec: {
        retentionPolicy: "30d",
        configuration: {
          destinationPath: "s3://platform-postgres-backups/production/platform",
          endpointURL: "https://s3.gra.io.cloud.ovh.net",
          s3Credentials: {
            accessKeyId: { name: "postgres-backup-s3", key: "ACCESS_KEY_ID" },
            secretAccessKey: { name: "postgres-backup-s3", key: "ACCESS_SECRET_KEY" },
          },
          wal: { compression: "gzip", maxParallel: 2 },
          data: { compression: "gzip", jobs: 2 },
        },
        instanceSidecarConfiguration: { resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
      },
    });
    expect(dependsOn(release(prod, "postgres-object-stores"))).toEqual([
      release(prod, "plugin-barman-cloud").address,
      release(prod, "postgres-credentials").address,
    ]);
    const s3 = releaseManifests(prod, "postgres-credentials").find((m) => m.metadata.name === "postgres-backup-s3");
    expect(s3?.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "vault" });
    expect(s3?.spec.data).toEqual([
      { secretKey: "ACCESS_KEY_ID", remoteRef: { key: "postgres/backup-s3", property: "access_key_id" } },
      { secretKey: "ACCESS_SECRET_KEY", remoteRef: { key: "postgres/backup-s3", property: "secret_access_key" } },
    ]);
  });

  test("clusters archive WAL through the plugin to their own ObjectStore, under their own name; the chart's backups stay off", () => {
    const values = releaseValues(prod, "platform");
    expect(values.cluster.plugins).toEqual([
      {
        name: "barman-cloud.cloudnative-pg.io",
        enabled: true,
        isWALArchiver: true,
        parameters: { barmanObjectName: "platform-backups", serverName: "platform" },
      },
    ]);
    expect(values.backups).toEqual({ enabled: false });
    expect(dependsOn(release(prod, "platform"))).toContain(release(prod, "postgres-object-stores").address);
  });

  test("a ScheduledBackup per cluster takes base backups through the plugin, after the clusters", () => {
    const backups = releaseManifests(prod, "postgres-scheduled-backups");
    expect(backups[0]).toEqual({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: "platform-scheduled-backup", namespace: "postgres", labels: { "cnpg.io/cluster": "platform" } },
      spec: {
        cluster: { name: "platform" },
        schedule: "0 0 */6 * * *",
        immediate: true,
        backupOwnerReference: "self",
        target: "prefer-standby",
        method: "plugin",
        pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
      },
    });
    expect(backups.map((backup) => backup.spec.cluster.name)).toEqual(["platform", "applications"]);
    expect(dependsOn(release(prod, "postgres-scheduled-backups"))).toEqual([
      release(prod, "platform").address,
      release(prod, "applications").address,
    ]);
  });

  test.each(ENVIRONMENTS.filter((source) => source.config.target === "kubernetes").map((source) => [source.config.name, source.config]))(
    "%s: no in-tree barmanObjectStore anywhere in the stack, and every cluster archives through the plugin",
    (_name, config) => {
      const stack = synthEnvironment(config);
      expect(stack.json).not.toMatch(/barmanObjectStore/);
      expect(releaseManifests(stack, "postgres-object-stores").length).toBeGreaterThan(0);
    },
  );

  test("without backups there is no plugin, no ObjectStore and no archiving", () => {
    const stack = synthEnvironment(withPostgres(dev, { backup: undefined }));
    expect(() => helmRelease(stack, "plugin-barman-cloud")).toThrow("no helm_release named plugin-barman-cloud");
    expect(() => helmRelease(stack, "postgres-object-stores")).toThrow();
    expect(releaseValues(stack, "platform").cluster.plugins).toEqual([]);
  });

  test("fails when backups are declared and cert-manager, which the plugin's TLS needs, is off", () => {
    // Without the teams, which would need Vault too.
    const config = { ...dev, teams: [], services: { ...dev.services, certManager: { enabled: false }, vault: { enabled: false } } };
    expect(problemsOf(config)).toEqual([
      expect.stringContaining(
        "services.certManager.enabled: PostgreSQL needs cert-manager for the TLS between CloudNativePG and the Barman Cloud plugin",
      ),
      expect.stringContaining("services.vault.enabled: PostgreSQL needs Vault"),
    ]);
  });
});
