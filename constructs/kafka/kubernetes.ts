import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { ManifestsRelease } from "../helm/manifests-release";
import { PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps, hardAntiAffinity, resolveServiceProps, serviceHost } from "../kubernetes/service-props";
import { STRIMZI_OPERATOR_CHART } from "./chart";
import {
  KAFKA_CLUSTER_NAME,
  KAFKA_METRICS_PORT,
  KAFKA_TLS_LISTENER,
  OPERATOR_METRICS_PORTS,
  STRIMZI_OPERATOR_RESOURCES,
  kafkaManifests,
} from "./resources";
import { KafkaSpec, ResolvedKafkaSpec, resolveKafka, validateKafka } from "./spec";

export interface KafkaProps extends KubernetesServiceProps {
  /** Sizing and topology of the cluster. @default - the documented defaults of `KafkaSpec` */
  readonly spec?: KafkaSpec;
  /** Namespace of the Strimzi operator and of the cluster it manages. @default "kafka" */
  readonly namespace?: string;
  /** Name of the `Kafka` resource; it prefixes every pod, Service and Secret of the cluster. @default "platform" */
  readonly clusterName?: string;
  /** @default "strimzi-kafka-operator" */
  readonly operatorReleaseName?: string;
}

/** @default namespace */
export const KAFKA_NAMESPACE = "kafka";
const OPERATOR_RELEASE = "strimzi-kafka-operator";

/** In-cluster bootstrap address of a cluster's TLS listener, `<cluster>-kafka-bootstrap` being Strimzi's Service name. */
export function kafkaBootstrapServers(clusterName: string, namespace: string): string {
  return `${serviceHost(`${clusterName}-kafka-bootstrap`, namespace)}:${KAFKA_TLS_LISTENER.port}`;
}

/**
 * Kafka in KRaft mode on the system pool: the Strimzi operator release, then
 * the cluster, its node pools, topics, users and PodMonitors as custom
 * resources in a second release that waits for the operator's CRDs.
 */
export class Kafka extends Construct {
  public readonly spec: ResolvedKafkaSpec;
  public readonly namespaceName: string;
  public readonly clusterName: string;
  public readonly namespace: PlatformNamespace;
  public readonly operator: PlatformRelease;
  public readonly cluster: ManifestsRelease;
  /** `host:port` of the TLS listener's bootstrap Service, inside the cluster. */
  public readonly bootstrapServers: string;

  constructor(scope: Construct, id: string, props: KafkaProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? KAFKA_NAMESPACE;
    this.clusterName = props.clusterName ?? KAFKA_CLUSTER_NAME;
    const operatorRelease = props.operatorReleaseName ?? OPERATOR_RELEASE;
    assertValidProps(this, (problems) => {
      validateKafka(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkNamespaceName(problems, "clusterName", this.clusterName);
      checkReleaseName(problems, "operatorReleaseName", operatorRelease);
    });
    this.spec = resolveKafka(props.spec);

    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      // The operator's restricted provider (below) makes every Kafka pod restricted-compliant.
      podSecurity: "restricted",
      clientPorts: [KAFKA_TLS_LISTENER.port],
      metricsPorts: [KAFKA_METRICS_PORT, ...OPERATOR_METRICS_PORTS],
      prometheusNamespace: service.prometheusNamespace,
      kubernetesApi: true,
    });

    this.operator = new PlatformRelease(this, "operator", {
      name: operatorRelease,
      namespace: this.namespaceName,
      source: STRIMZI_OPERATOR_CHART,
      values: {
        // The release namespace is always watched; the cluster lives there too.
        watchNamespaces: [],
        nodeSelector: service.placement.nodeSelector,
        tolerations: service.placement.tolerations,
        resources: STRIMZI_OPERATOR_RESOURCES,
        // Operand pods get restricted security contexts; Strimzi's default provider is baseline.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
        // The namespace's own policies decide who reaches Kafka. Strimzi's generated
        // ones would admit every namespace on the listener port.
        generateNetworkPolicy: false,
      },
      overrides: this.spec.values,
      dependsOn: [...service.dependsOn, ...this.namespace.dependables],
    });

    this.cluster = new ManifestsRelease(this, "cluster", {
      name: this.clusterName === KAFKA_CLUSTER_NAME ? "kafka-cluster" : `kafka-${this.clusterName}`,
      namespace: this.namespaceName,
      manifests: kafkaManifests(this.spec, {
        namespace: this.namespaceName,
        clusterName: this.clusterName,
        placement: service.placement,
        hardAntiAffinity: hardAntiAffinity(service.tier),
        monitoring: service.monitoring,
      }),
      // The operator's CRDs; the operator release itself waited for everything else.
      dependsOn: [this.operator.release],
      preventDestroy: service.preventDestroy,
    });
    this.bootstrapServers = kafkaBootstrapServers(this.clusterName, this.namespaceName);
  }
}
