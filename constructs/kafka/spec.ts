import { consensusSizeProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf, stringOf } from "../../core/schema";
import { RESOURCES_SCHEMA, STORAGE_SCHEMA } from "../common/sizing";

/** Operations a KafkaUser ACL may grant on a topic (Strimzi `simple` authorization). */
export const KAFKA_TOPIC_OPERATIONS = [
  "Read",
  "Write",
  "Create",
  "Delete",
  "Alter",
  "Describe",
  "DescribeConfigs",
  "AlterConfigs",
  "All",
] as const;
export type KafkaTopicOperation = (typeof KAFKA_TOPIC_OPERATIONS)[number];

/** Partitions of a topic that does not set its own. */
export const KAFKA_TOPIC_DEFAULT_PARTITIONS = 3;

/**
 * The most partitions one topic may have. Kafka can add partitions but never remove them, and each
 * costs every replica's broker open files, memory and a leader election on failover; a thousand is
 * far beyond what one of the platform's topics needs, so more is taken for a typo.
 */
export const MAX_TOPIC_PARTITIONS = 1000;

/** The longest retention, in hours: ten years. Longer is a unit slip: hours, not minutes or milliseconds. */
export const MAX_RETENTION_HOURS = 87_600;

export interface KafkaTopicSpec {
  /** Topic name: letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** @default 3 */
  readonly partitions?: number;
  /** @default - the service's `replicationFactor` */
  readonly replicas?: number;
  /** @default - the service's `logRetentionHours` */
  readonly retentionHours?: number;
}

export interface KafkaAclSpec {
  /** Topic name, or a prefix when it ends with `*`. */
  readonly topic: string;
  readonly operations: readonly KafkaTopicOperation[];
}

export interface KafkaUserSpec {
  /** User name: a DNS-1123 label (it names the user's Secret). */
  readonly name: string;
  readonly acls: readonly KafkaAclSpec[];
  /** Consumer group prefix the user may join, `<name>-` when unset. @default - `<name>-` */
  readonly consumerGroupPrefix?: string;
}

/** Kafka in KRaft mode: dedicated controllers and brokers (combined roles in development only). */
export interface KafkaSpec {
  /** KRaft controllers; a majority must be up: 3 or 5 outside development. @default 3 */
  readonly controllers?: number;
  /** @default 3 */
  readonly brokers?: number;
  /** Run controllers and brokers in the same pods (`controllers` pods, no separate brokers). Development only. @default false */
  readonly combinedRoles?: boolean;
  /** Kafka version, supported by the pinned Strimzi release. @default "4.3.1" */
  readonly version?: string;
  /** Broker log volume. @default { size: "20Gi" } */
  readonly brokerStorage?: StorageSpec;
  /** Controller metadata volume. @default { size: "5Gi" } */
  readonly controllerStorage?: StorageSpec;
  /** `default.replication.factor`, also for internal topics. @default 3 */
  readonly replicationFactor?: number;
  /** `min.insync.replicas`: below RF so one broker may be down. @default 2 */
  readonly minInsyncReplicas?: number;
  /** `log.retention.hours`. @default 168 */
  readonly logRetentionHours?: number;
  /** Client authentication on the TLS listener. @default "scram-sha-512" */
  readonly authentication?: "scram-sha-512" | "tls";
  /** @default [] */
  readonly topics?: readonly KafkaTopicSpec[];
  /** @default [] */
  readonly users?: readonly KafkaUserSpec[];
  /** Broker resources. @default 500m CPU, 2Gi memory */
  readonly resources?: ResourceRequirements;
  /** Values of the strimzi-kafka-operator chart merged over the platform's, last. @default - none */
  readonly values?: HelmValues;
}

export type ResolvedKafkaSpec = Required<KafkaSpec>;

export const KAFKA_SUPPORTED_VERSIONS = ["4.2.0", "4.2.1", "4.3.0", "4.3.1"] as const;

export const KAFKA_DEFAULTS: ResolvedKafkaSpec = {
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
  resources: resources("500m", "2Gi"),
  values: {},
};

export function resolveKafka(spec?: KafkaSpec): ResolvedKafkaSpec {
  return withDefaults(KAFKA_DEFAULTS, spec);
}

/** Brokers that hold data: the controllers themselves when roles are combined. */
export function dataNodes(kafka: ResolvedKafkaSpec): number {
  return kafka.combinedRoles ? kafka.controllers : kafka.brokers;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** A literal ACL names a declared topic; a prefix ACL (`orders.*`) covers at least one. */
function aclTopicExists(topic: string, declared: ReadonlySet<string>): boolean {
  if (!topic.endsWith("*")) return declared.has(topic);
  const prefix = topic.slice(0, -1);
  return [...declared].some((name) => name.startsWith(prefix));
}

/**
 * The `KafkaTopic` resource name of a topic. Topic names may hold capitals and
 * `_`, Kubernetes names may not; the real name goes into `spec.topicName`.
 */
export function topicResourceName(topic: string): string {
  return topic
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "");
}

/** The shape of a KafkaTopicSpec. */
export const KAFKA_TOPIC_SCHEMA = schemaOf<KafkaTopicSpec>()(
  v.strictObject({
    name: v.string(),
    partitions: v.optional(v.number()),
    replicas: v.optional(v.number()),
    retentionHours: v.optional(v.number()),
  }),
);

const USER_SCHEMA = schemaOf<KafkaUserSpec>()(
  v.strictObject({
    name: v.string(),
    acls: v.array(v.strictObject({ topic: v.string(), operations: v.array(stringOf<KafkaTopicOperation>()) })),
    consumerGroupPrefix: v.optional(v.string()),
  }),
);

/** The shape of a KafkaSpec, checked before its values. */
export const KAFKA_SPEC_SCHEMA = schemaOf<KafkaSpec>()(
  v.strictObject({
    controllers: v.optional(v.number()),
    brokers: v.optional(v.number()),
    combinedRoles: v.optional(v.boolean()),
    version: v.optional(v.string()),
    brokerStorage: v.optional(STORAGE_SCHEMA),
    controllerStorage: v.optional(STORAGE_SCHEMA),
    replicationFactor: v.optional(v.number()),
    minInsyncReplicas: v.optional(v.number()),
    logRetentionHours: v.optional(v.number()),
    authentication: v.optional(stringOf<"scram-sha-512" | "tls">()),
    topics: v.optional(v.array(KAFKA_TOPIC_SCHEMA)),
    users: v.optional(v.array(USER_SCHEMA)),
    resources: v.optional(RESOURCES_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
  }),
);

/** Names already taken in one Kafka cluster: topics, and the KafkaTopic resource names they map to. */
export interface TopicNames {
  readonly topicNames: Set<string>;
  readonly resourceNames: Map<string, string>;
}

/** One topic's rules within its cluster; records its names in `taken`. Teams' owned topics are checked the same way. */
export function checkTopic(topic: KafkaTopicSpec, kafka: ResolvedKafkaSpec, taken: TopicNames, at: ProblemCollector): void {
  const { topicNames, resourceNames } = taken;
  const nodes = dataNodes(kafka);
  at.check(TOPIC_NAME.test(topic.name), "name", "topic name is not allowed", topic.name, "use up to 249 letters, digits, '.', '_' or '-'");
  at.check(!topicNames.has(topic.name), "name", "topic is declared twice", topic.name, "declare each topic once");
  topicNames.add(topic.name);
  const resourceName = topicResourceName(topic.name);
  const clash = resourceNames.get(resourceName);
  at.check(
    clash === undefined || clash === topic.name,
    "name",
    `topic maps to the same KafkaTopic resource name "${resourceName}" as topic "${clash}"`,
    topic.name,
    "rename one of them: capitals and '_' become lowercase and '-' in Kubernetes names",
  );
  at.check(
    resourceName !== "",
    "name",
    "topic name has no letter or digit to name its KafkaTopic resource",
    topic.name,
    "use a name with letters or digits",
  );
  resourceNames.set(resourceName, topic.name);
  if (
    at.check(
      topic.partitions === undefined || (Number.isInteger(topic.partitions) && topic.partitions >= 1),
      "partitions",
      "partitions must be a whole number of at least 1",
      topic.partitions,
      "use e.g. 3",
    )
  ) {
    at.check(
      topic.partitions === undefined || topic.partitions <= MAX_TOPIC_PARTITIONS,
      "partitions",
      `a topic of more than ${MAX_TOPIC_PARTITIONS} partitions is taken for a typo: Kafka never removes a partition once created`,
      topic.partitions,
      `use at most ${MAX_TOPIC_PARTITIONS}, e.g. 12`,
    );
  }
  if (
    at.check(
      topic.retentionHours === undefined || (Number.isInteger(topic.retentionHours) && topic.retentionHours >= 1),
      "retentionHours",
      "topic retention must be a whole number of hours of at least 1",
      topic.retentionHours,
      `use e.g. 168 for a week, or leave it out to keep the cluster's ${kafka.logRetentionHours} hours`,
    )
  ) {
    checkRetentionCap(topic.retentionHours, "retentionHours", at);
  }
  const replicas = topic.replicas ?? kafka.replicationFactor;
  at.check(
    Number.isInteger(replicas) && replicas >= 1 && replicas <= nodes,
    "replicas",
    "topic replicas exceed the brokers",
    replicas,
    `use at most ${nodes}`,
  );
  at.check(
    replicas > kafka.minInsyncReplicas || replicas === 1,
    "replicas",
    `topic replicas must exceed min.insync.replicas (${kafka.minInsyncReplicas}) or writes stop with one broker down`,
    replicas,
    `use ${kafka.minInsyncReplicas + 1} or more`,
  );
}

function checkRetentionCap(hours: number | undefined, field: string, problems: ProblemCollector): void {
  problems.check(
    hours === undefined || hours <= MAX_RETENTION_HOURS,
    field,
    `retention of ${hours} hours is more than ten years`,
    hours,
    `use at most ${MAX_RETENTION_HOURS}; retention counts hours, so a week is 168`,
  );
}

export function validateKafka(spec: KafkaSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(KAFKA_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const kafka = resolveKafka(spec);
  const development = context.tier === "development";
  const controllers = consensusSizeProblem(kafka.controllers, context.tier, "KRaft controllers");
  if (controllers !== undefined) problems.add("controllers", controllers.message, kafka.controllers, controllers.fix);
  problems.check(
    !kafka.combinedRoles || development,
    "combinedRoles",
    "combined controller and broker roles are for development only",
    kafka.combinedRoles,
    "set combinedRoles: false and size brokers separately",
  );
  problems.check(
    Number.isInteger(kafka.brokers) && kafka.brokers >= 1,
    "brokers",
    "Kafka needs at least one broker",
    kafka.brokers,
    "use 3",
  );
  const nodes = dataNodes(kafka);
  problems.check(
    Number.isInteger(kafka.replicationFactor) && kafka.replicationFactor >= 1 && kafka.replicationFactor <= nodes,
    "replicationFactor",
    `replication factor is greater than the ${nodes} broker${nodes === 1 ? "" : "s"} that can hold a replica`,
    kafka.replicationFactor,
    `use at most ${nodes}, or add brokers`,
  );
  problems.check(
    kafka.minInsyncReplicas >= 1 && (kafka.minInsyncReplicas < kafka.replicationFactor || kafka.replicationFactor === 1),
    "minInsyncReplicas",
    "min.insync.replicas must be below the replication factor, or one broker down stops every write",
    kafka.minInsyncReplicas,
    `use ${Math.max(1, kafka.replicationFactor - 1)} for replication factor ${kafka.replicationFactor}`,
  );
  if (context.tier === "production") {
    problems.check(
      kafka.replicationFactor >= 3 && kafka.minInsyncReplicas >= 2,
      "replicationFactor",
      "production topics need replication factor 3 and min.insync.replicas 2 to lose a broker without losing acknowledged writes",
      { replicationFactor: kafka.replicationFactor, minInsyncReplicas: kafka.minInsyncReplicas },
      "use replicationFactor: 3, minInsyncReplicas: 2",
    );
  }
  problems.check(
    (KAFKA_SUPPORTED_VERSIONS as readonly string[]).includes(kafka.version),
    "version",
    "Kafka version is not supported by the pinned Strimzi operator",
    kafka.version,
    `use one of ${KAFKA_SUPPORTED_VERSIONS.join(", ")}`,
  );
  if (
    problems.check(
      Number.isInteger(kafka.logRetentionHours) && kafka.logRetentionHours >= 1,
      "logRetentionHours",
      "log retention is not a whole number of hours",
      kafka.logRetentionHours,
      "use e.g. 168 for 7 days",
    )
  ) {
    checkRetentionCap(kafka.logRetentionHours, "logRetentionHours", problems);
  }
  problems.check(
    ["scram-sha-512", "tls"].includes(kafka.authentication),
    "authentication",
    "unknown authentication",
    kafka.authentication,
    'use "scram-sha-512" or "tls"',
  );
  const topicNames = new Set<string>();
  const resourceNames = new Map<string, string>();
  kafka.topics.forEach((topic, index) => checkTopic(topic, kafka, { topicNames, resourceNames }, problems.at("topics").at(index)));
  const userNames = new Set<string>();
  kafka.users.forEach((user, index) => {
    const at = problems.at("users").at(index);
    at.check(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(user.name),
      "name",
      "user name is not a DNS-1123 label",
      user.name,
      "use lowercase letters, digits and '-'",
    );
    at.check(!userNames.has(user.name), "name", "user is declared twice", user.name, "declare each user once");
    userNames.add(user.name);
    at.check(
      user.consumerGroupPrefix === undefined || /^[a-zA-Z0-9._-]+$/.test(user.consumerGroupPrefix),
      "consumerGroupPrefix",
      "consumer group prefix is not a Kafka resource name",
      user.consumerGroupPrefix,
      "use letters, digits, '.', '_' and '-', e.g. billing-",
    );
    user.acls.forEach((acl, a) => {
      const aclAt = at.at("acls").at(a);
      aclAt.check(
        aclTopicExists(acl.topic, topicNames),
        "topic",
        acl.topic.endsWith("*") ? "no declared topic starts with this prefix" : "the topic is not declared",
        acl.topic,
        topicNames.size > 0
          ? `declare it in services.kafka.topics, or name one declared there: ${[...topicNames].join(", ")}; topics are not created on first use`
          : "declare the topic in services.kafka.topics; topics are not created on first use",
      );
      aclAt.check(
        acl.operations.length > 0,
        "operations",
        "an ACL grants nothing",
        acl.operations,
        `list operations from ${KAFKA_TOPIC_OPERATIONS.join(", ")}`,
      );
      for (const operation of acl.operations) {
        aclAt.check(
          (KAFKA_TOPIC_OPERATIONS as readonly string[]).includes(operation),
          "operations",
          "unknown topic operation",
          operation,
          `use ${KAFKA_TOPIC_OPERATIONS.join(", ")}`,
        );
      }
    });
  });
  validateStorage(kafka.brokerStorage, problems.at("brokerStorage"));
  validateStorage(kafka.controllerStorage, problems.at("controllerStorage"));
  validateResources(kafka.resources, problems.at("resources"));
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}
