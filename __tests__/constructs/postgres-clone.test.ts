import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { archiveServerName, SANITISE_COMMAND } from "../../constructs/postgres/clone";
import { POSTGRES_IMAGE } from "../../constructs/postgres/chart";
import { Postgres } from "../../constructs/postgres/kubernetes";
import { PostgresClusterSpec, resolveClone } from "../../constructs/postgres/spec";
import { ConfigurationError } from "../../core/problems";
import { DockerEnvironmentConfig, ENVIRONMENTS, EnvironmentConfig, KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { assertValidEnvironments } from "../../environments/validate";
import { buildInventory } from "../../policies/inventory";
import { postgresClusters } from "../../policies/postgres-clusters";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { parse } from "yaml";
import { missingRequiredFields } from "../support/crd";
import { problemsOf } from "../support/environments";
import { dependsOn, helmRelease as release } from "../support/releases";
import { helmRelease, releaseManifests, releaseValues, resourcesOfType, synthEnvironment } from "../support/synth";

type Json = Record<string, any>;

const PLATFORM = { name: "platform", databases: [{ name: "platform", owner: "platform" }] };
/** A source as the stack would resolve it, for a Postgres built alone. */
const BARE_SOURCE = {
  environment: "production",
  tier: "production" as const,
  cluster: "platform",
  endpoint: "https://s3.example.net",
  destinationPath: "s3://b-1/production/platform",
  serverName: "platform",
  databases: PLATFORM.databases,
};
const APPLICATIONS = { name: "applications", databases: [{ name: "app", owner: "app" }] };
const CLONE = {
  environment: "production",
  cluster: "platform",
  refresh: 1,
  sanitise: [{ file: "postgres/sanitise/platform.sql" as const }],
};

/** staging with its platform cluster declared as given (a clone of production's by default). */
function stagingWith(platform: Partial<PostgresClusterSpec> & Json = {}, postgres: Json = {}): KubernetesEnvironmentConfig {
  const clusters = [{ ...PLATFORM, cloneFrom: CLONE, ...platform }, APPLICATIONS];
  return { ...staging, services: { ...staging.services, postgres: { ...staging.services?.postgres, clusters, ...postgres } } };
}

function cloneWith(patch: Json): KubernetesEnvironmentConfig {
  return stagingWith({ cloneFrom: { ...CLONE, ...patch } });
}

/** Every problem of the app with `config` in place of its namesake, as synth prints them. */
function appProblems(...configs: EnvironmentConfig[]): string[] {
  const sources = ENVIRONMENTS.map((source) => {
    const replaced = configs.find((config) => config.name === source.config.name);
    return replaced ? { ...source, config: replaced } : source;
  });
  try {
    assertValidEnvironments(sources);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return [...error.lines];
  }
}

const AT = "environments/staging.ts: services.postgres.clusters[0]";

describe("staging ships cloning production's platform cluster", () => {
  test("every environment, staging's clone included, is valid together", () => {
    expect(appProblems()).toEqual([]);
    expect(staging.services?.postgres?.clusters?.[0]).toMatchObject({ name: "platform", cloneFrom: CLONE });
  });

  test("the example sanitising script replaces emails, names and phone numbers", () => {
    const sql = fs.readFileSync(path.join(__dirname, "..", "..", "postgres", "sanitise", "platform.sql"), "utf8");
    expect(sql).toMatch(/e_\?mail/);
    expect(sql).toMatch(/first\|last\|middle\|full\|given\|family\|display/);
    expect(sql).toMatch(/phone\|mobile\|telephone/);
    expect(sql).toContain("@example.invalid");
  });
});

describe("PostgreSQL clone validation", () => {
  test("fails when the source environment is unknown", () => {
    expect(appProblems(cloneWith({ environment: "qa" }))).toEqual([
      `${AT}.cloneFrom.environment: no environment of this repository has this name (got "qa"; clone from one of dev, production)`,
    ]);
  });

  test("fails when the source cluster is unknown", () => {
    expect(appProblems(cloneWith({ cluster: "billing" }))).toEqual([
      `${AT}.cloneFrom.cluster: production has no cluster of this name (got "billing"; clone one of platform, applications)`,
    ]);
  });

  test("fails when production clones production", () => {
    const clusters = [{ ...PLATFORM, cloneFrom: CLONE }, APPLICATIONS];
    const config = { ...production, services: { ...production.services, postgres: { ...production.services?.postgres, clusters } } };
    expect(appProblems(config)).toEqual([
      'environments/production.ts: services.postgres.clusters[0].cloneFrom: a production cluster never bootstraps from another environment\'s backups (got {"environment":"production","cluster":"platform"}; clone into a development or staging environment; production keeps its own data)',
      'environments/production.ts: services.postgres.clusters[0].cloneFrom.environment: a cluster cannot clone its own environment: a clone reads another environment\'s backups (got "production"; clone from one of dev, staging)',
      'environments/production.ts: services.postgres.clusters[0].cloneFrom: protectFromDestroy keeps Terraform from replacing the clone, which every refresh does (got {"environment":"production","cluster":"platform"}; set protectFromDestroy: false in this environment, or remove cloneFrom)',
    ]);
  });

  test("fails when a cluster clones its own environment", () => {
    expect(appProblems(cloneWith({ environment: "staging", cluster: "applications" }))).toContainEqual(
      `${AT}.cloneFrom.environment: a cluster cannot clone its own environment: a clone reads another environment's backups (got "staging"; clone from one of dev, production)`,
    );
  });

  test("fails when the source keeps no backups", () => {
    const devWithoutBackups = { ...dev, services: { ...dev.services, postgres: { ...dev.services?.postgres, backup: undefined } } };
    expect(appProblems(devWithoutBackups, cloneWith({ environment: "dev" }))).toEqual([
      `${AT}.cloneFrom.environment: dev keeps no backups to recover from: it declares no services.postgres.backup (got "dev"; declare backups in dev, or clone an environment that keeps them)`,
    ]);
  });

  test.each([
    [
      "in the future",
      "2999-01-01T00:00:00Z",
      "point in time is in the future: recovery would wait for WAL that does not exist yet and fail",
    ],
    ["without a time zone", "2026-08-01T06:00:00", "point in time is not an ISO 8601 instant with seconds and a time zone"],
    ["a date only", "2026-08-01", "point in time is not an ISO 8601 instant with seconds and a time zone"],
    ["a day that does not exist", "2026-02-30T06:00:00Z", "point in time is not an ISO 8601 instant with seconds and a time zone"],
    ["in PostgreSQL's own format", "2026-08-01 06:00:00+00", "point in time is not an ISO 8601 instant with seconds and a time zone"],
  ])("fails when the point in time is %s", (_what, pointInTime, message) => {
    expect(problemsOf(cloneWith({ pointInTime }))).toEqual([
      expect.stringContaining(`${AT}.cloneFrom.pointInTime: ${message} (got "${pointInTime}";`),
    ]);
  });

  test("a point in time in the past, with seconds and a zone, is a recovery target", () => {
    const stack = synthEnvironment(cloneWith({ pointInTime: "2026-08-01T08:00:00.5+02:00" }));
    const cluster = releaseManifests(stack, "postgres-platform-clone").find((m) => m.kind === "Cluster");
    expect(cluster?.spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: "2026-08-01T08:00:00.5+02:00" });
  });

  test("fails when the clone's backups would go to the source's path", () => {
    const config = stagingWith({}, { backup: { ...staging.services?.postgres?.backup, path: "production" } });
    expect(appProblems(config)).toEqual([
      `${AT}.cloneFrom: the clone would archive its WAL and backups into its source's, s3://platform-postgres-backups/production/platform (got "s3://platform-postgres-backups/production/platform"; give this environment's services.postgres.backup another bucket or path than production's)`,
    ]);
  });

  test("fails when the clone's backups would go inside the source's path", () => {
    const config = stagingWith({}, { backup: { ...staging.services?.postgres?.backup, path: "production/platform" } });
    expect(appProblems(config)).toEqual([
      expect.stringContaining(`${AT}.cloneFrom: the clone would archive its WAL and backups into its source's`),
    ]);
  });

  test("fails when a sanitising script file is missing", () => {
    expect(appProblems(cloneWith({ sanitise: [{ file: "postgres/sanitise/missing.sql" }] }))).toEqual([
      `${AT}.cloneFrom.sanitise[0].file: no such file in the repository (got "postgres/sanitise/missing.sql"; add the script, or write its path from the repository root, e.g. postgres/sanitise/platform.sql)`,
    ]);
  });

  test.each([
    "/etc/passwd.sql",
    "../secrets.sql",
    "postgres/../../x.sql",
    "postgres/sanitise/platform.txt",
    "postgres\\sanitise\\platform.sql",
  ])("fails when a sanitising script is %j, not a .sql file inside the repository", (file) => {
    expect(appProblems(cloneWith({ sanitise: [{ file }] }))).toEqual([
      `${AT}.cloneFrom.sanitise[0].file: is not the path of a .sql file inside the repository (got ${JSON.stringify(file)}; write the path from the repository root with '/', e.g. postgres/sanitise/platform.sql)`,
    ]);
  });

  test("fails when a clone has no sanitising script", () => {
    expect(problemsOf(cloneWith({ sanitise: [] }))).toEqual([
      `${AT}.cloneFrom.sanitise: a clone needs at least one sanitising script: production data would reach applications as it is (got []; list the SQL files that replace personal data, e.g. sanitise: [{ file: "postgres/sanitise/platform.sql" }])`,
    ]);
  });

  test("fails when a sanitising script names a database the cluster does not have", () => {
    expect(problemsOf(cloneWith({ sanitise: [{ file: "postgres/sanitise/platform.sql", database: "app" }] }))).toEqual([
      `${AT}.cloneFrom.sanitise[0].database: is not one of this cluster's databases (got "app"; use one of platform)`,
    ]);
  });

  test.each(["", "next week!", "-1", "x".repeat(41), -1, 1.5])("fails when the refresh marker is %j", (refresh) => {
    expect(problemsOf(cloneWith({ refresh }))).toEqual([
      expect.stringContaining(`${AT}.cloneFrom.refresh: refresh marker is not allowed (got ${JSON.stringify(String(refresh))};`),
    ]);
  });

  test("fails when the refresh marker is neither a string nor a number", () => {
    expect(problemsOf(cloneWith({ refresh: true }))).toEqual([
      expect.stringContaining(`${AT}.cloneFrom.refresh: is not one of the allowed values (got true;`),
    ]);
  });

  test("fails when the clone declares other databases than its source", () => {
    expect(appProblems(stagingWith({ databases: [{ name: "platform", owner: "admin" }] }))).toEqual([
      `${AT}.databases: a clone holds its source's databases, and these differ from production's platform (got [{"name":"platform","owner":"admin"}]; declare the source's, in its order: platform owned by platform)`,
    ]);
  });

  test("fails when the clone would read its source with the environment's read-write backup key", () => {
    expect(problemsOf(cloneWith({ credentialsVaultPath: "postgres/backup-s3" }))).toEqual([
      `${AT}.cloneFrom.credentialsVaultPath: the clone would read its source with this environment's read-write backup key (got "postgres/backup-s3"; store a key that may only read the source's backups at its own path, e.g. postgres/clone-source/production)`,
    ]);
  });

  test("fails when a clone sets cluster chart values, which its Cluster never sees", () => {
    expect(problemsOf(stagingWith({ values: { cluster: { logLevel: "debug" } } }))).toEqual([
      expect.stringContaining(
        `${AT}.values: a clone's Cluster is rendered by the platform, not by the cluster chart: chart values do not reach it`,
      ),
    ]);
  });

  test("fails when a development clone has no backup of its own to archive to", () => {
    const clusters = [{ ...PLATFORM, cloneFrom: CLONE }, APPLICATIONS];
    const config = { ...dev, services: { ...dev.services, postgres: { ...dev.services?.postgres, clusters, backup: undefined } } };
    expect(problemsOf(config)).toEqual([
      'environments/dev.ts: services.postgres.clusters[0].cloneFrom: a clone archives its own WAL and backups, and this environment declares no backup (got {"environment":"production","cluster":"platform"}; declare services.postgres.backup: the clone writes under its own path there)',
    ]);
  });

  test("fails when the clone's environment forbids Terraform to destroy it", () => {
    expect(appProblems({ ...staging, protectFromDestroy: true })).toEqual([
      `${AT}.cloneFrom: protectFromDestroy keeps Terraform from replacing the clone, which every refresh does (got {"environment":"production","cluster":"platform"}; set protectFromDestroy: false in this environment, or remove cloneFrom)`,
    ]);
  });

  test("fails when the local Docker environment declares a clone", () => {
    const config: DockerEnvironmentConfig = {
      ...local,
      // Without the teams, whose databases are in a cluster this one replaces.
      teams: [],
      services: { ...local.services, postgres: { ...local.services?.postgres, clusters: [{ ...PLATFORM, cloneFrom: CLONE }] } },
    };
    expect(problemsOf(config)).toEqual([
      'environments/local.ts: services.postgres.clusters[0].cloneFrom: a clone needs a Kubernetes environment: recovery from backups runs through CloudNativePG\'s Barman Cloud plugin (got {"environment":"production","cluster":"platform"}; remove cloneFrom from this environment)',
    ]);
  });

  test("fails when a clone's name leaves no room in its Helm release name", () => {
    const name = "p".repeat(39);
    expect(problemsOf(stagingWith({ name }))).toContainEqual(
      `${AT}.name: a clone's Helm release, postgres-${name}-clone, would be longer than 53 characters (got "${name}"; use a cluster name of at most 38 characters)`,
    );
  });

  test("a construct fails when it gets no resolved source for a clone, or is kept from destroying it", () => {
    const spec = { backup: { bucket: "b-1", endpoint: "https://s3.example.net" }, clusters: [{ ...PLATFORM, cloneFrom: CLONE }] };
    expect(() => new Postgres(new TerraformStack(Testing.app(), "bare"), "pg", { secretsReady: [], tier: "staging", spec })).toThrow(
      "bare/pg: clones.platform: a clone needs its source's backup location and its sanitising SQL (got nothing; pass them; the stack resolves them from the source environment's declaration and the repository)",
    );
    const source = BARE_SOURCE;
    const clones = { platform: { source, scripts: [{ file: "postgres/sanitise/platform.sql", database: "platform", sql: "select 1;" }] } };
    expect(
      () =>
        new Postgres(new TerraformStack(Testing.app(), "bare"), "pg", {
          secretsReady: [],
          tier: "staging",
          spec,
          clones,
          preventDestroy: true,
        }),
    ).toThrow("bare/pg: spec.clusters[0].cloneFrom: prevent_destroy keeps Terraform from replacing the clone");
    expect(
      () => new Postgres(new TerraformStack(Testing.app(), "bare"), "pg", { secretsReady: [], tier: "staging", spec, clones }),
    ).not.toThrow();
  });
});

describe("staging's clone of production's platform cluster", () => {
  const stack = synthEnvironment(staging);
  const manifests = releaseManifests(stack, "postgres-platform-clone");
  const cluster = manifests.find((m) => m.kind === "Cluster") as Json;
  const marker = Object.entries(resourcesOfType(stack, "terraform_data")).find(([name]) =>
    name.startsWith("postgres_clone-platform-refresh"),
  );
  const markerAddress = `terraform_data.${marker?.[0]}`;
  const job = Object.values(resourcesOfType(stack, "kubernetes_job_v1"))[0] as Json;

  test("bootstraps by recovery from production's backups, read with read-only keys from their own Vault path", () => {
    expect(cluster.spec.bootstrap).toEqual({
      recovery: { source: "production-platform", database: "platform", owner: "platform", secret: { name: "platform-platform" } },
    });
    expect(cluster.spec.externalClusters).toEqual([
      {
        name: "production-platform",
        plugin: {
          name: "barman-cloud.cloudnative-pg.io",
          parameters: { barmanObjectName: "platform-clone-source", serverName: "platform" },
        },
      },
    ]);
    expect(manifests.find((m) => m.kind === "ObjectStore")).toEqual({
      apiVersion: "barmancloud.cnpg.io/v1",
      kind: "ObjectStore",
      metadata: {
        name: "platform-clone-source",
        namespace: "postgres",
        labels: { "cnpg.io/cluster": "platform", "platform/clone": "platform" },
      },
      spec: {
        configuration: {
          destinationPath: "s3://platform-postgres-backups/production/platform",
          endpointURL: "https://s3.gra.io.cloud.ovh.net",
          s3Credentials: {
            accessKeyId: { name: "platform-clone-source-s3", key: "ACCESS_KEY_ID" },
            secretAccessKey: { name: "platform-clone-source-s3", key: "ACCESS_SECRET_KEY" },
          },
        },
      },
    });
    // Read-only keys, in the release that precedes the clusters; never the environment's own read-write key.
    const keys = releaseManifests(stack, "postgres-credentials").find((m) => m.metadata.name === "platform-clone-source-s3");
    expect(keys?.spec.data.map((entry: Json) => entry.remoteRef)).toEqual([
      { key: "postgres/clone-source/production", property: "access_key_id" },
      { key: "postgres/clone-source/production", property: "secret_access_key" },
    ]);
    expect(dependsOn(release(stack, "postgres-platform-clone"))).toContain(release(stack, "postgres-credentials").address);
  });

  test("archives its own WAL and backups to its own path, under a server name of its generation", () => {
    const own = releaseManifests(stack, "postgres-object-stores").find((m) => m.metadata.name === "platform-backups");
    expect(own?.spec.configuration.destinationPath).toBe("s3://platform-postgres-backups/staging/platform");
    expect(own?.spec.retentionPolicy).toBe("7d");
    expect(cluster.spec.plugins).toEqual([
      {
        name: "barman-cloud.cloudnative-pg.io",
        enabled: true,
        isWALArchiver: true,
        parameters: { barmanObjectName: "platform-backups", serverName: expect.stringMatching(/^platform-1-[0-9a-f]{8}$/) },
      },
    ]);
  });

  test("runs like any staging cluster: pinned image, sizing, anti-affinity, budget; with a superuser for the sanitising Job", () => {
    expect(cluster.spec).toMatchObject({
      instances: 2,
      imageName: POSTGRES_IMAGE,
      enablePDB: true,
      enableSuperuserAccess: true,
      storage: { size: "20Gi" },
      resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: "preferred", nodeSelector: { "platform/pool": "system" } },
      postgresql: { parameters: { shared_buffers: "256MB" } },
    });
    // The policies read it as a Cluster object, as they read the chart's clusters from values.
    const source = ENVIRONMENTS.find((candidate) => candidate.config.name === "staging");
    if (source === undefined) throw new Error("no staging");
    const built = createEnvironmentStack(Testing.app(), source, undefined, ENVIRONMENTS);
    expect(postgresClusters(buildInventory(built, "staging")).map((seen) => [seen.describe, seen.spec.instances])).toEqual([
      ['Cluster "platform" (values.manifests[1])', 2],
      ['CloudNativePG cluster of release "applications"', 2],
    ]);
  });

  test("keeps the Terraform address the cluster chart release had, under a new release name: turning a cluster into a clone replaces it", () => {
    const before = synthEnvironment(stagingWith({ cloneFrom: undefined }));
    expect(release(stack, "postgres-platform-clone").address).toBe(release(before, "platform").address);
    expect(helmRelease(stack, "postgres-platform-clone")).toMatchObject({
      chart: expect.stringMatching(/^assets\/platform-manifests-chart\//),
      lifecycle: { replace_triggered_by: [markerAddress] },
    });
    expect(helmRelease(stack, "postgres-platform-clone").lifecycle).not.toHaveProperty("prevent_destroy");
  });

  test("the refresh marker holds what the clone is a copy of; a new marker replaces the clone, its Job and its credentials", () => {
    expect(marker?.[1]).toEqual({ input: { environment: "production", cluster: "platform", pointInTime: "latest", refresh: "1" } });
    // Terraform's replace_triggered_by takes bare addresses (a "${…}" fails its parser: hashicorp/terraform-cdk#3196).
    expect(markerAddress).toMatch(/^terraform_data\.postgres_clone-platform-refresh_[0-9A-F]{8}$/);
    for (const resource of [helmRelease(stack, "postgres-platform-clone"), helmRelease(stack, "postgres-platform-sanitised"), job]) {
      expect(resource.lifecycle).toEqual({ replace_triggered_by: [markerAddress] });
    }
    const refreshed = synthEnvironment(cloneWith({ refresh: "2026-09-01" }));
    const refreshedMarker = Object.entries(resourcesOfType(refreshed, "terraform_data"))[0];
    expect(refreshedMarker).toEqual([
      marker?.[0],
      { input: { environment: "production", cluster: "platform", pointInTime: "latest", refresh: "2026-09-01" } },
    ]);
    const serverName = (config: KubernetesEnvironmentConfig) =>
      releaseManifests(synthEnvironment(config), "postgres-platform-clone").find((m) => m.kind === "Cluster")?.spec.plugins[0].parameters
        .serverName;
    expect(serverName(cloneWith({ refresh: "2026-09-01" }))).toMatch(/^platform-2026-09-01-[0-9a-f]{8}$/);
    // A new point in time is a new clone too, archiving under a new server name although the marker is the same.
    expect(serverName(cloneWith({ pointInTime: "2026-08-01T06:00:00Z" }))).not.toBe(serverName(staging));
  });

  test("a clone of a cluster with several databases: the other owners become managed roles; every object has its CRD's required fields", () => {
    const databases = [
      { name: "shop", owner: "shop" },
      { name: "billing", owner: "billing" },
    ];
    const source = {
      environment: "production",
      tier: "production" as const,
      cluster: "shop",
      endpoint: "https://s3.example.net",
      destinationPath: "s3://b-1/production/shop",
      serverName: "shop",
      databases,
    };
    const alone = new TerraformStack(Testing.app(), "bare");
    new Postgres(alone, "pg", {
      secretsReady: [],
      tier: "staging",
      spec: {
        backup: { bucket: "b-1", endpoint: "https://s3.example.net" },
        clusters: [
          {
            name: "shop",
            databases,
            cloneFrom: { ...CLONE, cluster: "shop", sanitise: [{ file: "postgres/sanitise/platform.sql", database: "billing" }] },
          },
        ],
      },
      clones: { shop: { source, scripts: [{ file: "postgres/sanitise/platform.sql", database: "billing", sql: "select 1;" }] } },
    });
    const json = JSON.parse(Testing.synth(alone)) as Json;
    const clone = Object.values(json.resource.helm_release).find((candidate: any) => candidate.name === "postgres-shop-clone") as Json;
    const objects = (parse(clone.values[0]) as Json).manifests as Json[];
    const cluster = objects.find((object) => object.kind === "Cluster") as Json;
    expect(cluster.spec.bootstrap.recovery).toMatchObject({ database: "shop", owner: "shop", secret: { name: "shop-shop" } });
    expect(cluster.spec.managed.roles).toEqual([
      { name: "billing", ensure: "present", login: true, passwordSecret: { name: "shop-billing" } },
    ]);
    expect(objects.find((object) => object.kind === "Database")?.spec).toEqual({
      name: "billing",
      cluster: { name: "shop" },
      ensure: "present",
      owner: "billing",
      databaseReclaimPolicy: "retain",
    });
    expect(objects.flatMap((object) => missingRequiredFields(object))).toEqual([]);
    const configMap = Object.values(json.resource.kubernetes_config_map_v1)[0] as Json;
    expect(Object.keys(configMap.data)).toEqual(["01-billing.sql"]);
  });

  test("server names: a cluster's own name, a clone's marker and 8 hex digits of its identity", () => {
    expect(archiveServerName({ name: "platform" })).toBe("platform");
    const clone = resolveClone(CLONE, PLATFORM.databases);
    expect(archiveServerName({ name: "platform", cloneFrom: clone })).toBe(
      archiveServerName({ name: "platform", cloneFrom: { ...clone } }),
    );
    expect(archiveServerName({ name: "platform", cloneFrom: { ...clone, refresh: "2" } })).not.toBe(
      archiveServerName({ name: "platform", cloneFrom: clone }),
    );
  });

  test("the sanitising scripts ship as a ConfigMap, in order, each named after its database", () => {
    const configMaps = Object.values(resourcesOfType(stack, "kubernetes_config_map_v1")) as Json[];
    expect(configMaps).toHaveLength(1);
    expect(configMaps[0].metadata).toMatchObject({ name: "platform-sanitise", namespace: "postgres" });
    expect(Object.keys(configMaps[0].data)).toEqual(["01-platform.sql"]);
    expect(configMaps[0].data["01-platform.sql"]).toBe(
      fs.readFileSync(path.join(__dirname, "..", "..", "postgres", "sanitise", "platform.sql"), "utf8"),
    );
  });

  test("SQL that looks like Terraform's template syntax reaches the ConfigMap as written", () => {
    const source = BARE_SOURCE;
    const stackAlone = new TerraformStack(Testing.app(), "bare");
    new Postgres(stackAlone, "pg", {
      secretsReady: [],
      tier: "staging",
      spec: { backup: { bucket: "b-1", endpoint: "https://s3.example.net" }, clusters: [{ ...PLATFORM, cloneFrom: CLONE }] },
      clones: {
        platform: { source, scripts: [{ file: "postgres/sanitise/platform.sql", database: "platform", sql: "select '${a}', '%{b}';" }] },
      },
    });
    const json = JSON.parse(Testing.synth(stackAlone)) as Json;
    const configMap = Object.values(json.resource.kubernetes_config_map_v1)[0] as Json;
    // Terraform reads "$${" as "${" and "%%{" as "%{".
    expect(configMap.data["01-platform.sql"]).toBe("select '$${a}', '%%{b}';");
  });

  test("the sanitising Job waits for the recovered primary, then runs the scripts as the clone's superuser over verified TLS", () => {
    expect(job.metadata).toMatchObject({ name: "platform-sanitise", namespace: "postgres" });
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: "190m", update: "190m" });
    expect(job.spec).toMatchObject({ backoff_limit: 2, active_deadline_seconds: 10800 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({
      restart_policy: "Never",
      node_selector: { "platform/pool": "system" },
      security_context: { run_as_non_root: true, run_as_user: "26", seccomp_profile: { type: "RuntimeDefault" } },
    });
    const [container] = pod.container;
    expect(container).toMatchObject({
      image: POSTGRES_IMAGE,
      command: ["/bin/sh", "-eu", "-c", SANITISE_COMMAND],
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      security_context: { allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } },
    });
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: "PGHOST", value: "platform-rw" },
        { name: "PGSSLMODE", value: "verify-full" },
        { name: "PGPASSWORD", value_from: { secret_key_ref: { name: "platform-superuser", key: "password" } } },
      ]),
    );
    expect(pod.volume).toEqual([
      { name: "scripts", config_map: { name: "platform-sanitise" } },
      { name: "ca", secret: { secret_name: "platform-ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
    ]);
    expect(SANITISE_COMMAND).toContain("pg_is_in_recovery()");
    expect(SANITISE_COMMAND).toContain("ON_ERROR_STOP=1 --single-transaction");
    expect(SANITISE_COMMAND).not.toMatch(/[$%]\{/);
    expect(job.depends_on).toEqual(
      expect.arrayContaining([release(stack, "postgres-platform-clone").address, expect.stringMatching(/^kubernetes_config_map_v1\./)]),
    );
  });

  test("the gate: the owners' credentials and the ScheduledBackup are created only once the Job has completed", () => {
    const sanitised = release(stack, "postgres-platform-sanitised");
    expect(dependsOn(sanitised)).toEqual([expect.stringMatching(/^kubernetes_job_v1\.postgres_clone-platform-sanitise_/)]);
    const objects = releaseManifests(stack, "postgres-platform-sanitised");
    expect(objects.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "Password/platform-platform-generator",
      "ExternalSecret/platform-platform",
      "ScheduledBackup/platform-scheduled-backup",
    ]);
    // Nothing delivers the clone's credentials earlier; the other cluster's come as before.
    const early = releaseManifests(stack, "postgres-credentials").map((m) => m.metadata.name);
    expect(early).not.toContain("platform-platform");
    expect(early).toContain("applications-app");
    expect(releaseManifests(stack, "postgres-scheduled-backups").map((m) => m.spec.cluster.name)).toEqual(["applications"]);
  });

  test("failure is visible: a PrometheusRule on kube-state-metrics' Job status, only where Prometheus runs", () => {
    const rule = manifests.find((m) => m.kind === "PrometheusRule");
    expect(rule?.spec.groups[0].rules[0]).toMatchObject({
      alert: "PostgresCloneSanitiseFailed",
      expr: 'kube_job_failed{namespace="postgres", job_name="platform-sanitise", condition="true"} == 1',
    });
    const unmonitored = synthEnvironment({ ...staging, services: { ...staging.services, observability: { enabled: false } } });
    expect(releaseManifests(unmonitored, "postgres-platform-clone").map((m) => m.kind)).toEqual(["ObjectStore", "Cluster"]);
  });

  test("what delivers a cluster's credentials waits for the sanitising Job on a clone", () => {
    const source = ENVIRONMENTS.find((candidate) => candidate.config.name === "staging");
    if (source === undefined) throw new Error("no staging");
    const built = createEnvironmentStack(Testing.app(), source, undefined, ENVIRONMENTS) as KubernetesStack;
    const postgres = built.postgres;
    if (postgres === undefined) throw new Error("no PostgreSQL");
    const clone = postgres.clones[0];
    expect(postgres.credentialsReady("platform")).toEqual([clone.sanitised.helm.release]);
    expect(postgres.credentialsReady("applications")).toEqual([postgres.credentials.helm.release, postgres.clusters[1].release]);
    expect(() => postgres.credentialsReady("billing")).toThrow("no PostgreSQL cluster named billing");
  });
});

describe("clusters that are not clones", () => {
  test("production and dev keep their chart releases, prevent_destroy in production, and no marker or Job", () => {
    for (const config of [production, dev]) {
      const stack = synthEnvironment(config);
      expect(resourcesOfType(stack, "terraform_data")).toEqual({});
      expect(resourcesOfType(stack, "kubernetes_job_v1")).toEqual({});
      expect(releaseValues(stack, "platform").cluster.enableSuperuserAccess).toBe(false);
    }
    expect(helmRelease(synthEnvironment(production), "platform").lifecycle).toEqual({ prevent_destroy: true });
  });
});
