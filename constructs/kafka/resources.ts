import { ResourceRequirements, StorageSpec, resources } from "../common/sizing";
import { KubernetesManifest } from "../helm/manifests-release";
import { nodeAffinity, podAntiAffinity } from "../kubernetes/affinity";
import { Placement } from "../../core/placement";
import { KAFKA_TOPIC_DEFAULT_PARTITIONS, KafkaAclSpec, KafkaTopicSpec, KafkaUserSpec, ResolvedKafkaSpec, topicResourceName } from "./spec";

/**
 * The Strimzi custom resources of the platform's Kafka cluster, checked
 * against the CRDs of Strimzi 1.2.0 (`kafka.strimzi.io/v1`, the only served
 * version): Kafka, KafkaNodePool, KafkaTopic, KafkaUser; and the Prometheus
 * Operator's PodMonitor (monitoring.coreos.com/v1, kube-prometheus-stack 88.5.3).
 */

export const KAFKA_API = "kafka.strimzi.io/v1";
export const MONITORING_API = "monitoring.coreos.com/v1";

/** Default `metadata.name` of the Kafka resource; it prefixes every pod, Service and Secret of the cluster. */
export const KAFKA_CLUSTER_NAME = "platform";
/** The only listener: TLS with client authentication, inside the cluster. */
export const KAFKA_TLS_LISTENER = { name: "tls", port: 9093 } as const;
/** Strimzi Metrics Reporter and Kafka Exporter serve `/metrics` here (port name `tcp-prometheus`). */
export const KAFKA_METRICS_PORT = 9404;
/** Cluster operator `http` and topic operator `healthcheck-to`; user operator `healthcheck-uo`. */
export const OPERATOR_METRICS_PORTS = [8080, 8081] as const;

/** KRaft controllers only keep metadata: a quarter of a broker is plenty. */
export const CONTROLLER_RESOURCES = resources("250m", "1Gi");
/** Each of the topic and user operator containers. */
export const ENTITY_OPERATOR_RESOURCES = resources("100m", "384Mi");
export const KAFKA_EXPORTER_RESOURCES = resources("50m", "128Mi");
/** The Strimzi cluster operator. */
export const STRIMZI_OPERATOR_RESOURCES = resources("200m", "384Mi");

/** Pool names are part of pod and volume names: renaming a pool replaces its nodes and data. */
export const NODE_POOL_NAMES = { dual: "dual", controllers: "controllers", brokers: "brokers" } as const;

export interface KafkaResourcesOptions {
  readonly namespace: string;
  /** @default KAFKA_CLUSTER_NAME */
  readonly clusterName?: string;
  /** Render PodMonitors (the Prometheus Operator's CRDs must exist). @default true */
  readonly monitoring?: boolean;
  readonly placement: Placement;
  /** Refuse to run two members of a pool on one node (production). */
  readonly hardAntiAffinity: boolean;
}

/** Strimzi's operators act on resources labelled with their cluster's name. */
function clusterLabel(options: KafkaResourcesOptions): Record<string, string> {
  return { "strimzi.io/cluster": options.clusterName ?? KAFKA_CLUSTER_NAME };
}
const HOURS_TO_MS = 3_600_000;

/** Every custom resource of the cluster, node pools first. */
export function kafkaManifests(kafka: ResolvedKafkaSpec, options: KafkaResourcesOptions): KubernetesManifest[] {
  return [
    ...kafkaNodePools(kafka, options),
    kafkaCluster(kafka, options),
    ...kafka.topics.map((topic) => kafkaTopic(topic, kafka, options)),
    ...kafka.users.map((user) => kafkaUser(user, kafka, options)),
    ...((options.monitoring ?? true) ? kafkaPodMonitors(options.namespace) : []),
  ];
}

/** Dedicated controller and broker pools, or one pool with both roles (development only). */
export function kafkaNodePools(kafka: ResolvedKafkaSpec, options: KafkaResourcesOptions): KubernetesManifest[] {
  if (kafka.combinedRoles) {
    return [nodePool(NODE_POOL_NAMES.dual, ["controller", "broker"], kafka.controllers, kafka.brokerStorage, kafka.resources, options)];
  }
  return [
    nodePool(NODE_POOL_NAMES.controllers, ["controller"], kafka.controllers, kafka.controllerStorage, CONTROLLER_RESOURCES, options),
    nodePool(NODE_POOL_NAMES.brokers, ["broker"], kafka.brokers, kafka.brokerStorage, kafka.resources, options),
  ];
}

function nodePool(
  name: string,
  roles: readonly ("controller" | "broker")[],
  replicas: number,
  storage: StorageSpec,
  containerResources: ResourceRequirements,
  options: KafkaResourcesOptions,
): KubernetesManifest {
  return {
    apiVersion: KAFKA_API,
    kind: "KafkaNodePool",
    metadata: { name, namespace: options.namespace, labels: clusterLabel(options) },
    spec: {
      replicas,
      roles: [...roles],
      storage: {
        type: "jbod",
        volumes: [
          {
            id: 0,
            type: "persistent-claim",
            size: storage.size,
            ...(storage.storageClass ? { class: storage.storageClass } : {}),
            // The claim outlives the pool: deleting a KafkaNodePool must not delete its data.
            deleteClaim: false,
            kraftMetadata: "shared",
          },
        ],
      },
      resources: containerResources,
      template: {
        pod: {
          // Strimzi pod templates have no nodeSelector: the system pool is selected by node affinity.
          affinity: {
            ...nodeAffinity(options.placement.nodeSelector),
            ...podAntiAffinity({ ...clusterLabel(options), "strimzi.io/pool-name": name }, options.hardAntiAffinity),
          },
          tolerations: [...options.placement.tolerations],
        },
      },
    },
  };
}

/** Placement of the cluster's single-replica helpers (entity operator, Kafka Exporter). */
function helperPod(options: KafkaResourcesOptions) {
  return { affinity: nodeAffinity(options.placement.nodeSelector), tolerations: [...options.placement.tolerations] };
}

export function kafkaCluster(kafka: ResolvedKafkaSpec, options: KafkaResourcesOptions): KubernetesManifest {
  return {
    apiVersion: KAFKA_API,
    kind: "Kafka",
    metadata: { name: options.clusterName ?? KAFKA_CLUSTER_NAME, namespace: options.namespace },
    spec: {
      kafka: {
        version: kafka.version,
        listeners: [{ ...KAFKA_TLS_LISTENER, type: "internal", tls: true, authentication: { type: kafka.authentication } }],
        // KafkaUser ACLs are enforced only with an authorizer.
        authorization: { type: "simple" },
        config: {
          "default.replication.factor": kafka.replicationFactor,
          "min.insync.replicas": kafka.minInsyncReplicas,
          "offsets.topic.replication.factor": kafka.replicationFactor,
          "transaction.state.log.replication.factor": kafka.replicationFactor,
          "transaction.state.log.min.isr": kafka.minInsyncReplicas,
          "log.retention.hours": kafka.logRetentionHours,
          // Topics are declared in the environment; a typo in a client must not create one.
          "auto.create.topics.enable": false,
        },
        metricsConfig: { type: "strimziMetricsReporter" },
      },
      entityOperator: {
        topicOperator: { resources: ENTITY_OPERATOR_RESOURCES },
        userOperator: { resources: ENTITY_OPERATOR_RESOURCES },
        template: { pod: helperPod(options) },
      },
      // Consumer lag per group and topic: the metric the brokers do not expose.
      kafkaExporter: {
        topicRegex: ".*",
        groupRegex: ".*",
        resources: KAFKA_EXPORTER_RESOURCES,
        template: { pod: helperPod(options) },
      },
    },
  };
}

export function kafkaTopic(topic: KafkaTopicSpec, kafka: ResolvedKafkaSpec, options: KafkaResourcesOptions): KubernetesManifest {
  return {
    apiVersion: KAFKA_API,
    kind: "KafkaTopic",
    metadata: { name: topicResourceName(topic.name), namespace: options.namespace, labels: clusterLabel(options) },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions ?? KAFKA_TOPIC_DEFAULT_PARTITIONS,
      replicas: topic.replicas ?? kafka.replicationFactor,
      // Without its own retention a topic follows the brokers' log.retention.hours.
      config: topic.retentionHours === undefined ? {} : { "retention.ms": topic.retentionHours * HOURS_TO_MS },
    },
  };
}

export function kafkaUser(user: KafkaUserSpec, kafka: ResolvedKafkaSpec, options: KafkaResourcesOptions): KubernetesManifest {
  const acls: object[] = user.acls.map(topicAcl);
  // Consumers commit offsets to a group: readers get their own group prefix, nothing more.
  if (user.acls.some((acl) => acl.operations.includes("Read") || acl.operations.includes("All"))) {
    acls.push({
      resource: { type: "group", name: user.consumerGroupPrefix ?? `${user.name}-`, patternType: "prefix" },
      operations: ["Read"],
    });
  }
  return {
    apiVersion: KAFKA_API,
    kind: "KafkaUser",
    metadata: { name: user.name, namespace: options.namespace, labels: clusterLabel(options) },
    spec: {
      // The user operator writes the credentials into a Secret named after the user: nothing passes through Terraform.
      authentication: { type: kafka.authentication },
      authorization: { type: "simple", acls },
    },
  };
}

function topicAcl(acl: KafkaAclSpec): object {
  const prefix = acl.topic.endsWith("*");
  return {
    resource: { type: "topic", name: prefix ? acl.topic.slice(0, -1) : acl.topic, patternType: prefix ? "prefix" : "literal" },
    operations: [...acl.operations],
  };
}

/** Scrape targets: brokers, controllers and the exporter; the entity operator; the cluster operator. */
export function kafkaPodMonitors(namespace: string): KubernetesManifest[] {
  const podMonitor = (name: string, selector: object, endpoints: readonly object[]): KubernetesManifest => ({
    apiVersion: MONITORING_API,
    kind: "PodMonitor",
    metadata: { name, namespace },
    spec: { selector, namespaceSelector: { matchNames: [namespace] }, podMetricsEndpoints: [...endpoints] },
  });
  return [
    podMonitor("kafka", { matchLabels: { "strimzi.io/kind": "Kafka" } }, [
      {
        port: "tcp-prometheus",
        path: "/metrics",
        // Strimzi's labels (cluster, pool, component) as metric labels, as its dashboards expect.
        relabelings: [{ action: "labelmap", regex: "__meta_kubernetes_pod_label_(strimzi_io_.+)", replacement: "$1" }],
      },
    ]),
    podMonitor("kafka-entity-operator", { matchLabels: { "app.kubernetes.io/name": "entity-operator" } }, [
      { port: "healthcheck-to", path: "/metrics" },
      { port: "healthcheck-uo", path: "/metrics" },
    ]),
    podMonitor("strimzi-cluster-operator", { matchLabels: { "strimzi.io/kind": "cluster-operator" } }, [
      { port: "http", path: "/metrics" },
    ]),
  ];
}
