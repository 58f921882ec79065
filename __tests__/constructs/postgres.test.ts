import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { POSTGRES_DEFAULT_CLUSTERS, POSTGRES_DEFAULT_PARAMETERS, resolvePostgres } from "../../constructs/postgres/spec";
import { problemsOf } from "../support/environments";
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

  test("backups go to the environment's bucket on schedule, with credentials from Vault", () => {
    const backups = releaseValues(prod, "platform").backups;
    expect(backups).toMatchObject({
      enabled: true,
      endpointURL: "https://s3.gra.io.cloud.ovh.net",
      destinationPath: "s3://platform-postgres-backups/production/platform",
      secret: { create: false, name: "postgres-backup-s3" },
      scheduledBackups: [{ name: "scheduled", schedule: "0 0 */6 * * *", method: "barmanObjectStore" }],
      retentionPolicy: "30d",
    });
    const s3 = releaseManifests(prod, "postgres-credentials").find((m) => m.metadata.name === "postgres-backup-s3");
    expect(s3?.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "vault" });
    expect(s3?.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"]);
  });
});
