import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { PLATFORM_NAMESPACES } from "../../constructs/services";
import { Team } from "../../constructs/team/kubernetes";
import { TeamSpec } from "../../constructs/team/spec";
import { KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { problemsOf } from "../support/environments";
import { allowRules, namespaceLabels } from "../support/namespaces";
import { releaseValues, resourcesOfType, synthEnvironment, synthVaultStack } from "../support/synth";

type Json = Record<string, any>;

/** A release's values in an environment's stack. */
function valuesIn(config: KubernetesEnvironmentConfig, name: string): Json {
  return releaseValues(synthEnvironment(config), name) as Json;
}

function byName(config: KubernetesEnvironmentConfig, type: string, namespaceName: string): Json {
  const found = Object.values(resourcesOfType(synthEnvironment(config), type)).find((resource) =>
    String((resource as Json).metadata.namespace).includes(`team-${namespaceName}`),
  );
  if (found === undefined) throw new Error(`no ${type} in ${namespaceName}`);
  return found as Json;
}

function withTeams(config: KubernetesEnvironmentConfig, teams: readonly TeamSpec[]): KubernetesEnvironmentConfig {
  return { ...config, teams };
}

const IDENTITY = dev.teams?.[0] as TeamSpec;
const BILLING = dev.teams?.[1] as TeamSpec;

describe("a team's namespaces", () => {
  test("are restricted, labelled with the team and with access to exactly the services it declares", () => {
    expect(namespaceLabels(dev, "identity")).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "platform/team": "identity",
      "platform/access-postgres": "true",
      "platform/access-redis": "true",
      "platform/access-kafka": "true",
      "platform/access-vault": "true",
      "platform/access-observability": "true",
    });
    const billing = namespaceLabels(dev, "billing");
    expect(billing).toMatchObject({ "platform/access-postgres": "true", "platform/access-kafka": "true" });
    expect(billing["platform/access-redis"]).toBeUndefined();
  });

  test("deny by default and allow egress only to the services the team uses, on their client ports", () => {
    const egress = allowRules(dev, "team-billing").egress.filter((rule) => rule.to?.[0]?.namespace_selector?.match_labels);
    const peers = egress.map((rule) => [
      rule.to[0].namespace_selector.match_labels["kubernetes.io/metadata.name"],
      rule.ports.map((port: Json) => Number(port.port)),
    ]);
    expect(peers).toEqual([
      ["kube-system", [53, 53]],
      ["postgres", [5432]],
      ["kafka", [9093]],
      ["vault", [8200]],
      ["observability", [4317, 4318]],
    ]);
  });

  test("get a ResourceQuota sized per environment and a LimitRange for containers that declare nothing", () => {
    expect(byName(dev, "kubernetes_resource_quota_v1", "identity").spec.hard).toEqual({
      "requests.cpu": "2",
      "requests.memory": "4Gi",
      "limits.memory": "4Gi",
      pods: "50",
      "requests.storage": "10Gi",
      persistentvolumeclaims: "10",
    });
    expect(byName(production, "kubernetes_resource_quota_v1", "identity").spec.hard).toMatchObject({
      "requests.cpu": "8",
      "requests.memory": "16Gi",
      "requests.storage": "50Gi",
    });
    expect(byName(dev, "kubernetes_limit_range_v1", "billing").spec.limit).toEqual([
      { type: "Container", default_request: { cpu: "100m", memory: "128Mi" }, default: { memory: "512Mi" } },
    ]);
  });
});

describe("a team's Argo CD project", () => {
  test("admits its repository and its namespaces only, and may not touch the platform's quota", () => {
    expect(valuesIn(staging, "argocd-apps").projects.identity).toEqual({
      namespace: "argocd",
      description: "Team identity: identity",
      sourceRepos: ["https://github.com/acme/identity.git"],
      destinations: [{ server: "https://kubernetes.default.svc", namespace: "identity" }],
      namespaceResourceBlacklist: [
        { group: "", kind: "ResourceQuota" },
        { group: "", kind: "LimitRange" },
      ],
    });
  });

  test("syncs the team's path for the environment: automatically in dev, by a person elsewhere", () => {
    expect(valuesIn(dev, "argocd-apps").applications.identity).toEqual({
      namespace: "argocd",
      project: "identity",
      source: { repoURL: "https://github.com/acme/identity.git", targetRevision: "main", path: "deploy/dev" },
      destination: { server: "https://kubernetes.default.svc", namespace: "identity" },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(valuesIn(production, "argocd-apps").applications.billing).toMatchObject({
      source: { path: "deploy/production" },
      syncPolicy: {},
    });
  });
});

describe("a team's platform services", () => {
  test("PostgreSQL: its database, owned by its role, in the cluster it names, with a password generated in the cluster", () => {
    const values = valuesIn(dev, "applications");
    expect(values.databases).toEqual([
      { name: "identity", owner: "identity", ensure: "present" },
      { name: "billing", owner: "billing", ensure: "present" },
    ]);
    expect(values.cluster.roles).toEqual(
      expect.arrayContaining([{ name: "identity", ensure: "present", login: true, passwordSecret: { name: "applications-identity" } }]),
    );
    const secrets = valuesIn(dev, "postgres-credentials").manifests.map((manifest: Json) => manifest.metadata.name);
    expect(secrets).toEqual(expect.arrayContaining(["applications-identity", "applications-billing"]));
  });

  test("Kafka: the topics it owns, and one user with full use of them, read access to what it reads and its group prefix", () => {
    const manifests = valuesIn(dev, "kafka-cluster").manifests as Json[];
    expect(manifests.filter((m) => m.kind === "KafkaTopic").map((m) => m.spec.topicName)).toEqual([
      "platform.audit",
      "platform.events",
      "identity.users",
      "identity.sessions",
    ]);
    const user = (name: string) => manifests.find((m) => m.kind === "KafkaUser" && m.metadata.name === name)?.spec.authorization.acls;
    expect(user("identity")).toEqual([
      {
        resource: { type: "topic", name: "identity.users", patternType: "literal" },
        operations: ["Read", "Write", "Describe", "DescribeConfigs", "AlterConfigs"],
      },
      {
        resource: { type: "topic", name: "identity.sessions", patternType: "literal" },
        operations: ["Read", "Write", "Describe", "DescribeConfigs", "AlterConfigs"],
      },
      { resource: { type: "topic", name: "platform.events", patternType: "literal" }, operations: ["Read", "Describe"] },
      { resource: { type: "group", name: "identity-", patternType: "prefix" }, operations: ["Read"] },
    ]);
    expect(user("billing")).toEqual([
      { resource: { type: "topic", name: "identity.users", patternType: "literal" }, operations: ["Read", "Describe"] },
      { resource: { type: "group", name: "billing-", patternType: "prefix" }, operations: ["Read"] },
    ]);
  });
});

describe("team validation", () => {
  /** billing without Kafka: it reads identity's topic, which the tests below leave out. */
  const team = (patch: Partial<TeamSpec>): TeamSpec => ({ ...BILLING, kafka: undefined, ...patch });

  test("fails when a team names a PostgreSQL cluster that does not exist", () => {
    expect(problemsOf(withTeams(dev, [team({ postgres: { cluster: "analytics" } })]))).toEqual([
      'environments/dev.ts: teams[0].postgres.cluster: no PostgreSQL cluster has this name (got "analytics"; use one of services.postgres.clusters: platform, applications)',
    ]);
  });

  test("fails when a team reads a topic nobody declares", () => {
    expect(problemsOf(withTeams(dev, [BILLING]))).toEqual([
      'environments/dev.ts: teams[0].kafka.reads[0]: the topic is not declared (got "identity.users"; read a topic the platform or a team owns: platform.audit, platform.events)',
    ]);
  });

  test("fails when two teams own one topic, or a team owns a platform topic", () => {
    const owner = (name: string, topic: string): TeamSpec => team({ name, kafka: { owns: [{ name: topic }] }, postgres: undefined });
    expect(
      problemsOf(
        withTeams(dev, [owner("orders", "orders.created"), owner("shipping", "orders.created"), owner("audit", "platform.audit")]),
      ),
    ).toEqual([
      'environments/dev.ts: teams[1].kafka.owns[0].name: the topic is already owned by team orders (got "orders.created"; let one team own it and the others read it with kafka.reads)',
      'environments/dev.ts: teams[2].kafka.owns[0].name: the topic is already owned by the platform (services.kafka.topics) (got "platform.audit"; let one team own it and the others read it with kafka.reads)',
    ]);
  });

  test("fails when a team's namespace is a platform namespace, a Kubernetes one, or another team's", () => {
    expect(
      problemsOf(
        withTeams(dev, [
          team({ name: "vault", postgres: undefined }),
          team({ namespaces: ["kube-system"] }),
          team({ name: "billing2", namespaces: ["billing"] }),
        ]),
      ),
    ).toEqual([
      'environments/dev.ts: teams[0].name: namespace vault already belongs to the platform (got "vault"; choose a name no platform service or Kubernetes uses)',
      'environments/dev.ts: teams[1].namespaces[0]: namespace kube-system already belongs to the platform (got "kube-system"; choose a name no platform service or Kubernetes uses)',
    ]);
  });

  test("fails when two teams share a name or a namespace", () => {
    expect(problemsOf(withTeams(dev, [team({}), team({ postgres: undefined })]))).toEqual([
      'environments/dev.ts: teams[1].name: team name is already used by teams[0] (got "billing"; give every team its own name)',
      'environments/dev.ts: teams[1].name: namespace billing already belongs to team billing (got "billing"; give every team its own namespaces)',
    ]);
  });

  test("fails when a team's database already exists in its cluster", () => {
    expect(problemsOf(withTeams(dev, [team({ postgres: { cluster: "applications", database: "app" } })]))).toEqual([
      'environments/dev.ts: teams[0].postgres.database: cluster applications already has this database, owned by the platform (got "app"; name the team\'s database differently)',
    ]);
  });

  test("fails when a team uses a service the environment leaves out", () => {
    const config = { ...withTeams(dev, [IDENTITY]), services: { ...dev.services, redis: { enabled: false } } };
    expect(problemsOf(config)).toEqual([
      "environments/dev.ts: teams[0].redis: the team uses Redis, which this environment leaves out (got false; enable services.redis, or remove redis from the team)",
    ]);
  });

  test("fails when a team would replace the environment's Argo CD project", () => {
    expect(problemsOf(withTeams(dev, [team({ name: "dev", postgres: undefined, kafka: undefined })]))).toEqual([
      "environments/dev.ts: teams[0].name: the team's Argo CD project and Application would replace the environment's project (got \"dev\"; rename the team)",
    ]);
  });

  test("fails when a team's name, namespaces or quota are malformed, each named", () => {
    expect(
      problemsOf(withTeams(dev, [team({ name: "Billing_Team", namespaces: ["ok", "ok"], quota: { cpu: "two", memory: "4GB" } })])),
    ).toEqual([
      "environments/dev.ts: teams[0].name: team name is not a DNS-1123 label starting with a letter (got \"Billing_Team\"; use lowercase letters, digits and '-', e.g. identity)",
      'environments/dev.ts: teams[0].namespaces[1]: namespace is listed twice (got "ok"; list each namespace once)',
      'environments/dev.ts: teams[0].quota.cpu: CPU quota is not a Kubernetes quantity (got "two"; write cores like "1" or "0.5", or millicores like "250m")',
      'environments/dev.ts: teams[0].quota.memory: memory quota is not a Kubernetes quantity (got "4GB"; write "4Gi"; units are Ki, Mi, Gi, Ti, or k, M, G, T for powers of ten, case-sensitive)',
    ]);
  });

  test("fails when the quota cannot hold one container of the team's defaults", () => {
    expect(problemsOf(withTeams(dev, [team({ quota: { cpu: "50m", memory: "256Mi" } })]))).toEqual([
      'environments/dev.ts: teams[0].quota.cpu: the quota cannot hold one container of the team\'s defaults, which requests 100m CPU (got "50m"; raise it to 100m or more, or lower containerDefaults.requests.cpu)',
      'environments/dev.ts: teams[0].quota.memory: the quota cannot hold one container of the team\'s defaults, whose memory limit is 512Mi (got "256Mi"; raise it to 512Mi or more, or lower containerDefaults.limits.memory)',
    ]);
  });

  test("fails when the storage quota is below one volume, and passes 0 for none", () => {
    expect(problemsOf(withTeams(dev, [team({ quota: { cpu: "1", memory: "2Gi", storage: "500Mi" } })]))).toEqual([
      'environments/dev.ts: teams[0].quota.storage: storage quota is 500Mi, below 1Gi: volumes are provisioned in whole gibibytes (got "500Mi"; use 1Gi or more, or "0" for none)',
    ]);
    expect(problemsOf(withTeams(dev, [team({ quota: { cpu: "1", memory: "2Gi", storage: "0" } })]))).toEqual([]);
  });

  test("fails when a topic a team owns has more partitions than a topic may", () => {
    expect(problemsOf(withTeams(dev, [team({ kafka: { owns: [{ name: "billing.invoices", partitions: 5000 }] } })]))).toEqual([
      "environments/dev.ts: teams[0].kafka.owns[0].partitions: a topic of more than 1000 partitions is taken for a typo: Kafka never removes a partition once created (got 5000; use at most 1000, e.g. 12)",
    ]);
  });

  test("fails when a team field is misspelled, as a config without the type checker may", () => {
    expect(problemsOf(withTeams(dev, [{ ...BILLING, redsi: true } as TeamSpec]))).toEqual([
      expect.stringContaining("environments/dev.ts: teams[0].redsi: is not a field here (got true; remove it, or did you mean redis?"),
    ]);
  });

  test("a team on the laptop needs no Argo CD: its repository and quota go unused there", () => {
    expect(problemsOf({ ...dev, teams: [IDENTITY] })).toEqual([]);
  });
});

describe("the Team construct alone", () => {
  test("builds in a bare stack with the endpoints of the services it uses", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new Team(stack, "team", {
      spec: { name: "web", quota: { cpu: "1", memory: "1Gi" }, redis: true },
      services: { redis: { namespace: "cache", ports: [6379] } },
    });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.values(json.resource.kubernetes_namespace_v1).map((ns) => (ns as Json).metadata.labels["platform/access-cache"])).toEqual(
      ["true"],
    );
  });

  test("fails when the team uses a service whose endpoint was not given", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    expect(() => new Team(stack, "team", { spec: { name: "web", quota: { cpu: "1", memory: "1Gi" }, redis: true } })).toThrow(
      "bare/team: services.redis: the team uses redis but no endpoint was given (got nothing; pass the redis service's namespace and ports)",
    );
  });
});

describe("reserved namespaces", () => {
  test("PLATFORM_NAMESPACES lists exactly the namespaces the platform's services create", () => {
    const created = Object.values(resourcesOfType(synthEnvironment(dev), "kubernetes_namespace_v1"))
      .map((ns) => (ns as Json).metadata)
      .filter((metadata) => metadata.labels["platform/team"] === undefined)
      .map((metadata) => metadata.name as string);
    expect(created.sort()).toEqual([...PLATFORM_NAMESPACES].sort());
  });
});

describe("a team's credentials", () => {
  const manifests = (config: KubernetesEnvironmentConfig, namespace: string): Json[] => {
    const release = Object.values(resourcesOfType(synthEnvironment(config), "helm_release")).find(
      (candidate) => candidate.name === "team-credentials" && String(candidate.namespace) === namespace,
    );
    if (release === undefined) throw new Error(`no team-credentials release in ${namespace}`);
    return parse((release.values as string[])[0]).manifests as Json[];
  };
  const find = (list: Json[], kind: string, name: string) => list.find((m) => m.kind === kind && m.metadata.name === name);

  test("PostgreSQL: a Secret in the team's namespace with the keys applications expect, built in the cluster", () => {
    const secret = find(manifests(dev, "identity"), "ExternalSecret", "platform-postgres");
    expect(secret?.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "platform-postgres" });
    expect(secret?.spec.data).toEqual([
      { secretKey: "username", remoteRef: { key: "applications-identity", property: "username" } },
      { secretKey: "password", remoteRef: { key: "applications-identity", property: "password" } },
    ]);
    expect(secret?.spec.target.template.data).toEqual({
      host: "applications-rw.postgres.svc.cluster.local",
      port: "5432",
      dbname: "identity",
      user: "{{ .username }}",
      username: "{{ .username }}",
      password: "{{ .password }}",
      uri: "postgresql://{{ .username }}:{{ .password | urlquery }}@applications-rw.postgres.svc.cluster.local:5432/identity",
      "jdbc-uri":
        "jdbc:postgresql://applications-rw.postgres.svc.cluster.local:5432/identity?user={{ .username }}&password={{ .password | urlquery }}",
    });
  });

  test("Kafka: the bootstrap address, the team user's SCRAM credentials and the cluster CA", () => {
    const secret = find(manifests(dev, "billing"), "ExternalSecret", "platform-kafka");
    expect(secret?.spec.data.map((entry: Json) => `${entry.remoteRef.key}/${entry.remoteRef.property}`)).toEqual([
      "platform-cluster-ca-cert/ca.crt",
      "billing/password",
      "billing/sasl.jaas.config",
    ]);
    expect(secret?.spec.target.template.data).toMatchObject({
      "bootstrap.servers": "platform-kafka-bootstrap.kafka.svc.cluster.local:9093",
      "security.protocol": "SASL_SSL",
      "sasl.mechanism": "SCRAM-SHA-512",
      username: "billing",
    });
  });

  test("Redis: the sentinels, the team's own ACL user and password, and its key prefix; only for teams that use it", () => {
    expect(find(manifests(dev, "identity"), "ExternalSecret", "platform-redis")?.spec.target.template.data).toEqual({
      sentinels: "redis-redis-ha.redis.svc.cluster.local:26379",
      "master-name": "mymaster",
      username: "identity",
      password: "{{ .password }}",
      "sentinel-password": "{{ .sentinel }}",
      "key-prefix": "identity:",
    });
    expect(find(manifests(dev, "billing"), "ExternalSecret", "platform-redis")).toBeUndefined();
  });

  test("each store reads its service's namespace as a service account that may get exactly the team's Secrets", () => {
    const store = find(manifests(dev, "identity"), "SecretStore", "platform-postgres");
    expect(store?.spec.provider.kubernetes).toEqual({
      remoteNamespace: "postgres",
      server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
      auth: { serviceAccount: { name: "platform-postgres" } },
    });
    const roles = Object.values(resourcesOfType(synthEnvironment(dev), "kubernetes_role_v1")) as Json[];
    const identityInPostgres = roles.find((role) => role.metadata.name === "identity-platform-postgres");
    expect(identityInPostgres?.metadata.namespace).toBe("postgres");
    expect(identityInPostgres?.rule).toEqual([
      { api_groups: [""], resources: ["secrets"], resource_names: ["applications-identity"], verbs: ["get"] },
    ]);
    const bindings = Object.values(resourcesOfType(synthEnvironment(dev), "kubernetes_role_binding_v1")) as Json[];
    expect(bindings.find((binding) => binding.metadata.name === "identity-platform-postgres")?.subject).toEqual([
      { kind: "ServiceAccount", name: "platform-postgres", namespace: "identity" },
    ]);
    expect(roles.some((role) => role.metadata.name === "billing-platform-redis")).toBe(false);
  });
});

describe("Redis ACL users for teams", () => {
  test("the ACL file is written in the cluster from the passwords' hashes, and every Redis pod loads it", () => {
    const acl = valuesIn(dev, "redis-acl").manifests as Json[];
    const file = acl.find((m) => m.kind === "ExternalSecret")?.spec;
    expect(file.data).toEqual([
      { secretKey: "auth", remoteRef: { key: "redis-auth", property: "auth" } },
      { secretKey: "user0", remoteRef: { key: "redis-user-identity", property: "password" } },
    ]);
    expect(file.target.template.data["users.acl"]).toBe(
      [
        "user default on #{{ .auth | sha256sum }} ~* &* +@all",
        "user identity on #{{ .user0 | sha256sum }} ~identity:* &identity:* +@all -@dangerous +info +client|setname +client|getname +client|id",
        "",
      ].join("\n"),
    );
    const values = valuesIn(dev, "redis");
    expect(values.redis.config.aclfile).toBe("/etc/redis-acl/users.acl");
    expect(values.extraVolumes).toEqual([{ name: "acl", secret: { secretName: "redis-acl" } }]);
    expect(values.redis.extraVolumeMounts).toEqual([{ name: "acl", mountPath: "/etc/redis-acl", readOnly: true }]);
  });
});

describe("a team in Vault", () => {
  test("each namespace gets the team's own SecretStore on its Vault prefix, verifying Vault with the platform CA", () => {
    const list = (Object.values(resourcesOfType(synthEnvironment(dev), "helm_release")) as Json[])
      .filter((release) => release.name === "team-credentials" && release.namespace === "billing")
      .flatMap((release) => parse(release.values[0]).manifests as Json[]);
    expect(list.find((m) => m.kind === "SecretStore" && m.metadata.name === "vault")?.spec.provider.vault).toEqual({
      server: "https://vault-active.vault.svc.cluster.local:8200",
      path: "platform",
      version: "v2",
      caProvider: { type: "Secret", name: "platform-ca", key: "ca.crt" },
      auth: { kubernetes: { mountPath: "kubernetes", role: "team-billing", serviceAccountRef: { name: "platform-vault" } } },
    });
    const ca = list.find((m) => m.kind === "Certificate")?.spec;
    expect(ca).toMatchObject({
      secretName: "platform-ca",
      issuerRef: { name: "platform-ca", kind: "ClusterIssuer" },
      dnsNames: ["ca-bundle.billing.billing.invalid"],
    });
  });

  const vault = () => synthVaultStack(dev);

  test("a read-only policy on its own KV prefix", () => {
    const policies = Object.values(resourcesOfType(vault(), "vault_policy")) as Json[];
    const identity = policies.find((policy) => policy.name === "team-identity");
    expect(identity?.policy).toContain('path "platform/data/teams/identity/*" {\n  capabilities = ["read"]');
    expect(identity?.policy).toContain('path "platform/metadata/teams/identity/*" {\n  capabilities = ["read", "list"]');
    expect(identity?.policy).not.toMatch(/create|update|delete|sudo/);
  });

  test("a role for its namespaces, bound to its SecretStore's service account and the ones it names", () => {
    const roles = Object.values(resourcesOfType(vault(), "vault_kubernetes_auth_backend_role")) as Json[];
    expect(roles.find((role) => role.role_name === "team-billing")).toMatchObject({
      bound_service_account_names: ["platform-vault", "billing"],
      bound_service_account_namespaces: ["billing"],
      token_policies: ["team-billing"],
    });
  });
});
