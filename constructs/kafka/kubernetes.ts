import { Construct } from "constructs";
import { resources } from "../common/sizing";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { endpointOutput } from "../kubernetes/endpoint-output";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps, hardAntiAffinity, serviceHost } from "../kubernetes/service-props";
import { STRIMZI_OPERATOR_CHART } from "./chart";
import { KAFKA_CLUSTER_NAME, KAFKA_METRICS_PORT, KAFKA_TLS_LISTENER, OPERATOR_METRICS_PORTS, kafkaManifests } from "./resources";
import { KafkaSpec, ResolvedKafkaSpec, resolveKafka } from "./spec";

export interface KafkaProps extends KubernetesServiceProps {
  /** Sizing and topology of the cluster. @default - the documented defaults of `KafkaSpec` */
  readonly spec?: KafkaSpec;
}

/** Namespace of the Strimzi operator and of the cluster it manages. */
export const KAFKA_NAMESPACE = "kafka";

export const STRIMZI_OPERATOR_RESOURCES = resources("200m", "384Mi");

/** In-cluster bootstrap address of the TLS listener, `<cluster>-kafka-bootstrap` being Strimzi's Service name. */
export const KAFKA_BOOTSTRAP_SERVERS = `${serviceHost(`${KAFKA_CLUSTER_NAME}-kafka-bootstrap`, KAFKA_NAMESPACE)}:${KAFKA_TLS_LISTENER.port}`;

/**
 * Kafka in KRaft mode on the system pool: the Strimzi operator release, then
 * the cluster, its node pools, topics, users and PodMonitors as custom
 * resources in a second release that waits for the operator's CRDs.
 */
export class Kafka extends Construct {
  public readonly spec: ResolvedKafkaSpec;
  public readonly namespace: PlatformNamespace;
  public readonly operator: PlatformRelease;
  public readonly cluster: ManifestsRelease;
  public readonly bootstrapServers = KAFKA_BOOTSTRAP_SERVERS;

  constructor(scope: Construct, id: string, props: KafkaProps) {
    super(scope, id);
    this.spec = resolveKafka(props.spec);

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: KAFKA_NAMESPACE,
      // The operator's restricted provider (below) makes every Kafka pod restricted-compliant.
      podSecurity: "restricted",
      clientPorts: [KAFKA_TLS_LISTENER.port],
      metricsPorts: [KAFKA_METRICS_PORT, ...OPERATOR_METRICS_PORTS],
      kubernetesApi: true,
    });

    const dependsOn = [...(props.dependsOn ?? []), ...this.namespace.dependables];
    this.operator = new PlatformRelease(this, "operator", {
      name: "strimzi-kafka-operator",
      namespace: KAFKA_NAMESPACE,
      source: STRIMZI_OPERATOR_CHART,
      values: {
        // The release namespace is always watched; the cluster lives there too.
        watchNamespaces: [],
        nodeSelector: props.placement.nodeSelector,
        tolerations: props.placement.tolerations,
        resources: STRIMZI_OPERATOR_RESOURCES,
        // Operand pods get restricted security contexts; Strimzi's default provider is baseline.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
        // The namespace's own policies decide who reaches Kafka. Strimzi's generated
        // ones would admit every namespace on the listener port.
        generateNetworkPolicy: false,
      },
      dependsOn,
    });

    this.cluster = new ManifestsRelease(this, "cluster", {
      name: "kafka-cluster",
      namespace: KAFKA_NAMESPACE,
      manifests: kafkaManifests(this.spec, {
        namespace: KAFKA_NAMESPACE,
        placement: props.placement,
        hardAntiAffinity: hardAntiAffinity(props.tier),
      }),
      // The operator's CRDs; the operator release itself waited for everything else.
      dependsOn: [this.operator.release],
      preventDestroy: props.preventDestroy,
    });

    endpointOutput(
      this,
      "kafka_bootstrap_servers",
      this.bootstrapServers,
      "Kafka bootstrap servers (TLS listener, in-cluster); client credentials are the KafkaUser Secrets in the kafka namespace",
    );
  }
}
