import { KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { kafkaBootstrapServers } from "../../constructs/kafka/kubernetes";

const KAFKA_BOOTSTRAP_SERVERS = kafkaBootstrapServers("platform", "kafka");
import { kafkaManifests } from "../../constructs/kafka/resources";
import { placementOn, systemPoolOf } from "../../core/placement";
import { KAFKA_DEFAULTS, KAFKA_TOPIC_DEFAULT_PARTITIONS, KafkaSpec, resolveKafka, topicResourceName } from "../../constructs/kafka/spec";
import { crdViolations, missingRequiredFields } from "../support/crd";
import { problemsOf } from "../support/environments";
import { Json, Manifest, at, dependsOn, helmRelease, manifestsOf } from "../support/releases";
import { synthEnvironment } from "../support/synth";
import { allowRules, clientRule, ingressFromRule, namespaceLabels } from "../support/namespaces";

function withKafka(base: KubernetesEnvironmentConfig, kafka: KafkaSpec): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, kafka } };
}

/** The Kafka service's problems; the environment's teams are left out (teams.test.ts checks them against Kafka). */
function kafkaProblems(base: KubernetesEnvironmentConfig, kafka: KafkaSpec): string[] {
  return problemsOf({ ...withKafka(base, kafka), teams: [] }).filter((line) => line.includes("services.kafka."));
}

const operator = (config: KubernetesEnvironmentConfig) => helmRelease(synthEnvironment(config), "strimzi-kafka-operator");
const cluster = (config: KubernetesEnvironmentConfig) => helmRelease(synthEnvironment(config), "kafka-cluster");
const resources = (config: KubernetesEnvironmentConfig, kind: string): Manifest[] =>
  manifestsOf(cluster(config)).filter((manifest) => manifest.kind === kind);
const resource = (config: KubernetesEnvironmentConfig, kind: string, name: string): Manifest => {
  const found = resources(config, kind).find((manifest) => manifest.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const kafkaSpec = (config: KubernetesEnvironmentConfig) => at(resource(config, "Kafka", "platform").spec, "kafka");

/** The custom resources of a variant of staging's cluster, rendered without synthesizing a stack. */
function stagingVariant(kafka: KafkaSpec): Manifest[] {
  const options = { namespace: "kafka", placement: placementOn(systemPoolOf(staging.nodePools)), hardAntiAffinity: false };
  return kafkaManifests(resolveKafka({ ...staging.services?.kafka, ...kafka }), options) as unknown as Manifest[];
}

describe("Kafka validation", () => {
  test("passes the shipped dev, staging and production clusters", () => {
    for (const config of [dev, staging, production]) expect(kafkaProblems(config, config.services?.kafka ?? {})).toEqual([]);
  });

  test("fails when a staging quorum has 2 controllers", () => {
    expect(kafkaProblems(staging, { controllers: 2 })).toEqual([
      "environments/staging.ts: services.kafka.controllers: 2 KRaft controllers tolerate no more failures than 1, and a split vote stalls (got 2; use 3 or 5)",
    ]);
  });

  test("fails when production runs a single controller, which development may", () => {
    expect(kafkaProblems(production, { controllers: 1 })).toContainEqual(
      "environments/production.ts: services.kafka.controllers: a production environment needs 3 or 5 KRaft controllers to survive losing one (got 1; use 3 or 5: 3 tolerates one failure, 5 tolerates two)",
    );
    expect(kafkaProblems(dev, { controllers: 1, replicationFactor: 1, minInsyncReplicas: 1, combinedRoles: true })).toEqual([]);
  });

  test("fails when controller and broker roles are combined outside development", () => {
    expect(kafkaProblems(staging, { combinedRoles: true })).toEqual([
      "environments/staging.ts: services.kafka.combinedRoles: combined controller and broker roles are for development only (got true; set combinedRoles: false and size brokers separately)",
    ]);
  });

  test("fails when there is no broker", () => {
    expect(kafkaProblems(dev, { brokers: 0, replicationFactor: 1, minInsyncReplicas: 1 })).toContainEqual(
      "environments/dev.ts: services.kafka.brokers: Kafka needs at least one broker (got 0; use 3)",
    );
  });

  test("fails when the replication factor is greater than the brokers", () => {
    expect(kafkaProblems(staging, { brokers: 3, replicationFactor: 4, minInsyncReplicas: 3 })).toContainEqual(
      "environments/staging.ts: services.kafka.replicationFactor: replication factor is greater than the 3 brokers that can hold a replica (got 4; use at most 3, or add brokers)",
    );
  });

  test("counts the controllers as brokers when roles are combined", () => {
    expect(kafkaProblems(dev, { combinedRoles: true, controllers: 1, replicationFactor: 3, minInsyncReplicas: 2 })).toContainEqual(
      "environments/dev.ts: services.kafka.replicationFactor: replication factor is greater than the 1 broker that can hold a replica (got 3; use at most 1, or add brokers)",
    );
  });

  test("fails when min.insync.replicas is not below the replication factor", () => {
    expect(kafkaProblems(staging, { replicationFactor: 3, minInsyncReplicas: 3 })).toEqual([
      "environments/staging.ts: services.kafka.minInsyncReplicas: min.insync.replicas must be below the replication factor, or one broker down stops every write (got 3; use 2 for replication factor 3)",
    ]);
  });

  test("fails when production topics are not replicated 3 times with min ISR 2", () => {
    expect(kafkaProblems(production, { replicationFactor: 2, minInsyncReplicas: 1 })).toContainEqual(
      'environments/production.ts: services.kafka.replicationFactor: production topics need replication factor 3 and min.insync.replicas 2 to lose a broker without losing acknowledged writes (got {"replicationFactor":2,"minInsyncReplicas":1}; use replicationFactor: 3, minInsyncReplicas: 2)',
    );
  });

  test("fails when the Kafka version is not supported by Strimzi 1.2.0", () => {
    expect(kafkaProblems(staging, { version: "4.1.0" })).toEqual([
      'environments/staging.ts: services.kafka.version: Kafka version is not supported by the pinned Strimzi operator (got "4.1.0"; use one of 4.2.0, 4.2.1, 4.3.0, 4.3.1)',
    ]);
  });

  test("fails when log retention is not a whole number of hours, or authentication is unknown", () => {
    expect(kafkaProblems(staging, { logRetentionHours: 0.5, authentication: "plain" as never })).toEqual([
      "environments/staging.ts: services.kafka.logRetentionHours: log retention is not a whole number of hours (got 0.5; use e.g. 168 for 7 days)",
      'environments/staging.ts: services.kafka.authentication: unknown authentication (got "plain"; use "scram-sha-512" or "tls")',
    ]);
  });

  test("fails when a retention is more than ten years: hours, not milliseconds", () => {
    expect(
      kafkaProblems(staging, {
        logRetentionHours: 604_800_000,
        topics: [
          { name: "audit", retentionHours: 87_601 },
          { name: "events", retentionHours: 87_600 },
        ],
      }),
    ).toEqual([
      "environments/staging.ts: services.kafka.logRetentionHours: retention of 604800000 hours is more than ten years (got 604800000; use at most 87600; retention counts hours, so a week is 168)",
      "environments/staging.ts: services.kafka.topics[0].retentionHours: retention of 87601 hours is more than ten years (got 87601; use at most 87600; retention counts hours, so a week is 168)",
    ]);
  });

  test("fails when a topic has more than 1000 partitions, which Kafka never takes back", () => {
    expect(
      kafkaProblems(staging, {
        topics: [
          { name: "events", partitions: 1200 },
          { name: "audit", partitions: 1000 },
        ],
      }),
    ).toEqual([
      "environments/staging.ts: services.kafka.topics[0].partitions: a topic of more than 1000 partitions is taken for a typo: Kafka never removes a partition once created (got 1200; use at most 1000, e.g. 12)",
    ]);
  });

  test("fails when a topic is malformed, declared twice or replicated beyond the brokers", () => {
    const problems = kafkaProblems(staging, {
      topics: [
        { name: "bad topic!" },
        { name: "orders" },
        { name: "orders" },
        { name: "wide", replicas: 4 },
        { name: "thin", replicas: 2 },
        { name: "zero", partitions: 0 },
      ],
    });
    expect(problems).toEqual([
      `environments/staging.ts: services.kafka.topics[0].name: topic name is not allowed (got "bad topic!"; use up to 249 letters, digits, '.', '_' or '-')`,
      'environments/staging.ts: services.kafka.topics[2].name: topic is declared twice (got "orders"; declare each topic once)',
      "environments/staging.ts: services.kafka.topics[3].replicas: topic replicas exceed the brokers (got 4; use at most 3)",
      "environments/staging.ts: services.kafka.topics[4].replicas: topic replicas must exceed min.insync.replicas (2) or writes stop with one broker down (got 2; use 3 or more)",
      "environments/staging.ts: services.kafka.topics[5].partitions: partitions must be a whole number of at least 1 (got 0; use e.g. 3)",
    ]);
  });

  test("fails when two topics map to the same KafkaTopic name", () => {
    expect(kafkaProblems(staging, { topics: [{ name: "Orders_v1" }, { name: "orders-v1" }] })).toEqual([
      `environments/staging.ts: services.kafka.topics[1].name: topic maps to the same KafkaTopic resource name "orders-v1" as topic "Orders_v1" (got "orders-v1"; rename one of them: capitals and '_' become lowercase and '-' in Kubernetes names)`,
    ]);
    expect(kafkaProblems(staging, { topics: [{ name: "__" }] })).toContainEqual(
      'environments/staging.ts: services.kafka.topics[0].name: topic name has no letter or digit to name its KafkaTopic resource (got "__"; use a name with letters or digits)',
    );
  });

  test("fails when a user is malformed, declared twice or granted nothing", () => {
    expect(
      kafkaProblems(staging, {
        topics: [{ name: "orders" }],
        users: [
          { name: "Bad_User", acls: [] },
          { name: "reader", acls: [{ topic: "orders", operations: [] }] },
          { name: "reader", acls: [{ topic: "orders", operations: ["Fly" as never] }] },
        ],
      }),
    ).toEqual([
      `environments/staging.ts: services.kafka.users[0].name: user name is not a DNS-1123 label (got "Bad_User"; use lowercase letters, digits and '-')`,
      "environments/staging.ts: services.kafka.users[1].acls[0].operations: an ACL grants nothing (got []; list operations from Read, Write, Create, Delete, Alter, Describe, DescribeConfigs, AlterConfigs, All)",
      'environments/staging.ts: services.kafka.users[2].name: user is declared twice (got "reader"; declare each user once)',
      'environments/staging.ts: services.kafka.users[2].acls[0].operations: unknown topic operation (got "Fly"; use Read, Write, Create, Delete, Alter, Describe, DescribeConfigs, AlterConfigs, All)',
    ]);
  });

  test("fails when an ACL names a topic that is not declared, or a prefix no declared topic has", () => {
    expect(
      kafkaProblems(staging, {
        topics: [{ name: "orders.created" }, { name: "payments" }],
        users: [
          {
            name: "billing",
            acls: [
              { topic: "order.created", operations: ["Read"] },
              { topic: "invoices.*", operations: ["Read"] },
              { topic: "orders.*", operations: ["Read"] },
            ],
          },
        ],
      }),
    ).toEqual([
      'environments/staging.ts: services.kafka.users[0].acls[0].topic: the topic is not declared (got "order.created"; declare it in services.kafka.topics, or name one declared there: orders.created, payments; topics are not created on first use)',
      'environments/staging.ts: services.kafka.users[0].acls[1].topic: no declared topic starts with this prefix (got "invoices.*"; declare it in services.kafka.topics, or name one declared there: orders.created, payments; topics are not created on first use)',
    ]);
  });

  test("fails when a topic's retention is negative, zero or fractional", () => {
    expect(
      kafkaProblems(staging, {
        topics: [
          { name: "a", retentionHours: -1 },
          { name: "b", retentionHours: 0.5 },
        ],
      }),
    ).toEqual([
      "environments/staging.ts: services.kafka.topics[0].retentionHours: topic retention must be a whole number of hours of at least 1 (got -1; use e.g. 168 for a week, or leave it out to keep the cluster's 168 hours)",
      "environments/staging.ts: services.kafka.topics[1].retentionHours: topic retention must be a whole number of hours of at least 1 (got 0.5; use e.g. 168 for a week, or leave it out to keep the cluster's 168 hours)",
    ]);
  });

  test("fails when a consumer group prefix holds characters Kafka refuses", () => {
    expect(kafkaProblems(staging, { users: [{ name: "billing", acls: [], consumerGroupPrefix: "billing group/" }] })).toEqual([
      "environments/staging.ts: services.kafka.users[0].consumerGroupPrefix: consumer group prefix is not a Kafka resource name (got \"billing group/\"; use letters, digits, '.', '_' and '-', e.g. billing-)",
    ]);
  });

  test("fails when a volume size or the broker resources are not Kubernetes quantities", () => {
    expect(
      kafkaProblems(staging, {
        brokerStorage: { size: "20GB" },
        resources: { requests: { cpu: "half", memory: "2Gi" }, limits: { memory: "2Gi" } },
      }),
    ).toEqual([
      'environments/staging.ts: services.kafka.brokerStorage.size: storage size is not a Kubernetes quantity (got "20GB"; write "20Gi"; units are Ki, Mi, Gi, Ti, or k, M, G, T for powers of ten, case-sensitive)',
      'environments/staging.ts: services.kafka.resources.requests.cpu: CPU request is not a Kubernetes quantity (got "half"; write cores like "1" or "0.5", or millicores like "250m")',
    ]);
  });
});

describe("Kafka defaults", () => {
  test("are the documented ones", () => {
    expect(KAFKA_DEFAULTS).toEqual({
      controllers: 3,
      brokers: 3,
      combinedRoles: false,
      version: "4.3.1",
      brokerStorage: { size: "20Gi" },
      controllerStorage: { size: "5Gi" },
      replicationFactor: 3,
      minInsyncReplicas: 2,
      logRetentionHours: 168,
      authentication: "scram-sha-512",
      topics: [],
      users: [],
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
      values: {},
    });
    expect(KAFKA_TOPIC_DEFAULT_PARTITIONS).toBe(3);
  });

  test("fill only what the environment leaves out", () => {
    expect(resolveKafka({ brokers: 5, logRetentionHours: undefined })).toMatchObject({
      brokers: 5,
      controllers: 3,
      logRetentionHours: 168,
    });
  });

  test("a topic without its own settings gets 3 partitions, the service's replication factor and the brokers' retention", () => {
    const topic = resource(staging, "KafkaTopic", "platform.audit");
    expect(topic.spec).toEqual({ topicName: "platform.audit", partitions: 6, replicas: 3, config: {} });
    const defaults = stagingVariant({ topics: [{ name: "Orders_v1" }] });
    expect(defaults.find((manifest) => manifest.kind === "KafkaTopic")).toMatchObject({
      metadata: { name: "orders-v1" },
      spec: { topicName: "Orders_v1", partitions: 3, replicas: 3, config: {} },
    });
  });

  test("topic resource names are lowercase DNS names that keep the topic recognisable", () => {
    expect(topicResourceName("Orders_V1.events")).toBe("orders-v1.events");
    expect(topicResourceName("_internal-")).toBe("internal");
  });
});

describe("Kafka on Kubernetes", () => {
  test("the Strimzi operator release is pinned to 1.2.0 from its OCI registry", () => {
    expect(operator(dev).attributes).toMatchObject({
      chart: "strimzi-kafka-operator",
      repository: "oci://quay.io/strimzi-helm",
      version: "1.2.0",
      namespace: "kafka",
      atomic: true,
      cleanup_on_fail: true,
      max_history: 5,
    });
  });

  test("operands run with restricted security contexts and the namespace's network policies only", () => {
    expect(operator(dev).values).toMatchObject({
      watchNamespaces: [],
      extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
      generateNetworkPolicy: false,
      resources: { requests: { cpu: "200m", memory: "384Mi" }, limits: { memory: "384Mi" } },
    });
    expect(namespaceLabels(dev, "kafka")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("the namespace admits labelled client namespaces on the TLS listener and Prometheus on the metrics ports", () => {
    const rules = allowRules(dev, "kafka_namespace");
    expect(clientRule(rules, "kafka")).toEqual({
      from: [{ namespace_selector: { match_labels: { "platform/access-kafka": "true" } } }],
      ports: [{ port: "9093", protocol: "TCP" }],
    });
    expect(ingressFromRule(rules, "observability")?.ports).toEqual(
      [9404, 8080, 8081].map((port) => ({ port: String(port), protocol: "TCP" })),
    );
  });

  test("the operator and every pool run on the system pool", () => {
    expect(operator(staging).values).toMatchObject({
      nodeSelector: { "platform/pool": "system" },
      tolerations: [{ key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" }],
    });
    for (const pool of resources(staging, "KafkaNodePool")) {
      expect(at(pool.spec, "template", "pod", "affinity", "nodeAffinity")).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "platform/pool", operator: "In", values: ["system"] }] }],
        },
      });
      expect(at(pool.spec, "template", "pod", "tolerations")).toEqual([
        { key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" },
      ]);
    }
  });

  test("the custom resources wait for the operator's CRDs and the Prometheus Operator's", () => {
    expect(dependsOn(cluster(dev))).toEqual([operator(dev).address]);
    expect(dependsOn(operator(dev))).toContain(helmRelease(synthEnvironment(dev), "kube-prometheus-stack").address);
  });

  test("only production refuses to destroy the cluster's release", () => {
    expect(cluster(production).attributes.lifecycle).toEqual({ prevent_destroy: true });
    expect(cluster(staging).attributes.lifecycle).toBeUndefined();
    expect(operator(production).attributes.lifecycle).toBeUndefined();
  });

  test("dev runs one node with both KRaft roles", () => {
    expect(resources(dev, "KafkaNodePool").map((pool) => [pool.metadata.name, at(pool.spec, "roles"), at(pool.spec, "replicas")])).toEqual([
      ["dual", ["controller", "broker"], 1],
    ]);
  });

  test.each([
    ["staging", staging, "20Gi"],
    ["production", production, "200Gi"],
  ])("%s runs 3 dedicated controllers and 3 brokers on persistent volumes", (_name, config, brokerSize) => {
    const pools = resources(config, "KafkaNodePool").map((pool) => [
      pool.metadata.name,
      at(pool.spec, "roles"),
      at(pool.spec, "replicas"),
      at(pool.spec, "storage", "volumes", 0, "size"),
      at(pool.spec, "storage", "volumes", 0, "deleteClaim"),
    ]);
    expect(pools).toEqual([
      ["controllers", ["controller"], 3, "5Gi", false],
      ["brokers", ["broker"], 3, brokerSize, false],
    ]);
  });

  test("production keeps the members of a pool on distinct nodes; elsewhere it is a preference", () => {
    const antiAffinity = (config: KubernetesEnvironmentConfig) =>
      at(resource(config, "KafkaNodePool", "brokers").spec, "template", "pod", "affinity", "podAntiAffinity");
    expect(antiAffinity(production)).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchLabels: { "strimzi.io/cluster": "platform", "strimzi.io/pool-name": "brokers" } },
          topologyKey: "kubernetes.io/hostname",
        },
      ],
    });
    expect(Object.keys(antiAffinity(staging) as object)).toEqual(["preferredDuringSchedulingIgnoredDuringExecution"]);
  });

  test.each([
    ["dev", 1, 1, 24, dev],
    ["staging", 3, 2, 168, staging],
    ["production", 3, 2, 168, production],
  ])("%s replicates with RF %i and min ISR %i and keeps logs %i hours", (_name, rf, isr, hours, config) => {
    expect(at(kafkaSpec(config), "config")).toEqual({
      "default.replication.factor": rf,
      "min.insync.replicas": isr,
      "offsets.topic.replication.factor": rf,
      "transaction.state.log.replication.factor": rf,
      "transaction.state.log.min.isr": isr,
      "log.retention.hours": hours,
      "auto.create.topics.enable": false,
    });
  });

  test("the only listener is TLS with SCRAM-SHA-512, or mutual TLS when asked, and ACLs are enforced", () => {
    expect(at(kafkaSpec(dev), "listeners")).toEqual([
      { name: "tls", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } },
    ]);
    expect(at(kafkaSpec(dev), "authorization")).toEqual({ type: "simple" });
    const mtlsCluster = stagingVariant({ authentication: "tls" });
    expect(at(mtlsCluster.find((m) => m.kind === "Kafka")?.spec, "kafka", "listeners", 0, "authentication")).toEqual({ type: "tls" });
    expect(mtlsCluster.filter((m) => m.kind === "KafkaUser").map((user) => at(user.spec, "authentication"))).toEqual([
      { type: "tls" },
      { type: "tls" },
    ]);
  });

  test("metrics are exposed for Prometheus and scraped through PodMonitors", () => {
    expect(at(kafkaSpec(dev), "metricsConfig")).toEqual({ type: "strimziMetricsReporter" });
    const monitors = resources(dev, "PodMonitor").map((monitor) => [monitor.metadata.name, at(monitor.spec, "podMetricsEndpoints")]);
    expect(monitors.map(([name]) => name)).toEqual(["kafka", "kafka-entity-operator", "strimzi-cluster-operator"]);
    expect(at(resource(dev, "PodMonitor", "kafka").spec, "podMetricsEndpoints", 0)).toMatchObject({
      port: "tcp-prometheus",
      path: "/metrics",
    });
  });

  test("topics and users of the environment become KafkaTopics and KafkaUsers with least-privilege ACLs", () => {
    expect(
      resources(production, "KafkaTopic").map((topic) => [topic.metadata.name, at(topic.spec, "partitions"), at(topic.spec, "replicas")]),
    ).toEqual([
      ["platform.audit", 6, 3],
      ["platform.events", 12, 3],
      // Owned by the identity team (teams.test.ts covers teams' topics and users).
      ["identity.users", 6, 3],
      ["identity.sessions", 12, 3],
    ]);
    expect(resource(production, "KafkaUser", "audit-writer").spec).toEqual({
      authentication: { type: "scram-sha-512" },
      authorization: {
        type: "simple",
        acls: [{ resource: { type: "topic", name: "platform.audit", patternType: "literal" }, operations: ["Write", "Describe"] }],
      },
    });
    expect(at(resource(production, "KafkaUser", "events-reader").spec, "authorization", "acls")).toEqual([
      { resource: { type: "topic", name: "platform.events", patternType: "literal" }, operations: ["Read", "Describe"] },
      { resource: { type: "group", name: "events-reader-", patternType: "prefix" }, operations: ["Read"] },
    ]);
  });

  test("a topic pattern ending in * grants on the prefix, and a declared retention becomes retention.ms", () => {
    const manifests = stagingVariant({
      topics: [{ name: "orders", retentionHours: 2 }],
      users: [{ name: "orders-app", acls: [{ topic: "orders.*", operations: ["All"] }], consumerGroupPrefix: "orders" }],
    });
    expect(manifests.find((m) => m.kind === "KafkaTopic")?.spec).toMatchObject({ config: { "retention.ms": 7_200_000 } });
    expect(at(manifests.find((m) => m.kind === "KafkaUser")?.spec, "authorization", "acls")).toEqual([
      { resource: { type: "topic", name: "orders.", patternType: "prefix" }, operations: ["All"] },
      { resource: { type: "group", name: "orders", patternType: "prefix" }, operations: ["Read"] },
    ]);
  });

  test.each([
    ["dev", dev],
    ["staging", staging],
    ["production", production],
  ])("every custom resource of %s satisfies its pinned CRD", (_name, config) => {
    const manifests = manifestsOf(cluster(config));
    expect(manifests.length).toBeGreaterThan(5);
    expect(manifests.flatMap((manifest) => missingRequiredFields(manifest as unknown as Record<string, Json>))).toEqual([]);
    expect(manifests.flatMap(crdViolations)).toEqual([]);
  });

  test("the CRD check reports missing, unknown and out-of-enum fields", () => {
    const pool = resource(dev, "KafkaNodePool", "dual");
    const spec = Object.fromEntries(Object.entries(pool.spec as Record<string, Json>).filter(([field]) => field !== "replicas"));
    const broken = { ...pool, spec: { ...spec, nodeSelector: {}, roles: ["leader"] } };
    expect(missingRequiredFields(broken)).toEqual(["spec.replicas"]);
    expect(crdViolations(broken)).toEqual([
      'kafka.strimzi.io/v1/KafkaNodePool: spec.roles[0] is "leader", not one of controller, broker',
      "kafka.strimzi.io/v1/KafkaNodePool: spec.nodeSelector is not a field of the CRD",
      "kafka.strimzi.io/v1/KafkaNodePool: no CRD field list for spec.nodeSelector; regenerate __tests__/fixtures/crd-facts.json",
    ]);
  });

  test("clients reach the bootstrap Service in the cluster; its address is an output", () => {
    expect(KAFKA_BOOTSTRAP_SERVERS).toBe("platform-kafka-bootstrap.kafka.svc.cluster.local:9093");
    expect(synthEnvironment(dev).parsed.output?.kafka_bootstrap_servers).toMatchObject({ value: KAFKA_BOOTSTRAP_SERVERS });
  });
});
