import { configFile } from "../docker/config-file";
import { KafkaUserSpec, ResolvedKafkaSpec } from "./spec";

/**
 * Files of the Kafka container on Docker. No secret is in them: the start
 * script reads the admin password from /run/secrets and writes the JAAS and
 * client files inside the container.
 */

export const KAFKA_CONFIG_DIR = "/etc/platform/kafka";
export const KAFKA_PASSWORD_FILE = "/run/secrets/kafka-admin-password";

/** Where a declared user's generated password is written in the container; read by the start script. */
export function kafkaUserPasswordFile(user: string): string {
  return `/run/secrets/kafka-user-${user}`;
}
/** SASL client settings for tools inside the container (healthcheck, topic creation). */
export const KAFKA_CLIENT_PROPERTIES = "/tmp/platform-client.properties";
export const KAFKA_ADMIN_USER = "admin";
export const KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";
/** Listener for containers on the platform network. */
export const KAFKA_INTERNAL_PORT = 19092;
/** Listener published to the host; it advertises 127.0.0.1 and the host port. */
export const KAFKA_HOST_LISTENER_PORT = 9092;
const CONTROLLER_PORT = 9093;
/** Tools started inside the container must leave the broker its memory. */
const TOOL_HEAP = "-Xmx128m";

/**
 * One KRaft node that is broker and controller. The controller listens on
 * loopback only; both client listeners require SASL/SCRAM. Replication
 * settings are 1: there is one node to hold a replica.
 */
export function serverProperties(kafka: ResolvedKafkaSpec, hostname: string, hostPort: number): string {
  return configFile([
    "# Kafka in KRaft mode, one node that is broker and controller, written by cdktf.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@localhost:${CONTROLLER_PORT}`,
    "controller.listener.names=CONTROLLER",
    `listeners=INTERNAL://:${KAFKA_INTERNAL_PORT},HOST://:${KAFKA_HOST_LISTENER_PORT},CONTROLLER://localhost:${CONTROLLER_PORT}`,
    `advertised.listeners=INTERNAL://${hostname}:${KAFKA_INTERNAL_PORT},HOST://127.0.0.1:${hostPort}`,
    "listener.security.protocol.map=INTERNAL:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name=INTERNAL",
    `sasl.enabled.mechanisms=${KAFKA_SASL_MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${KAFKA_SASL_MECHANISM}`,
    "log.dirs=/var/lib/kafka/data",
    `log.retention.hours=${kafka.logRetentionHours}`,
    "num.partitions=3",
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // ACLs as on the clusters: a user may do what its ACLs grant, nothing else. The admin
    // (tools, exporter) and the controller listener's anonymous principal, bound to the
    // container's loopback, are superusers.
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    `super.users=User:${KAFKA_ADMIN_USER};User:ANONYMOUS`,
    "allow.everyone.if.no.acl.found=false",
  ]);
}

/** `kafka-topics.sh --create` arguments of each declared topic (replication 1 locally). */
function topicCommands(kafka: ResolvedKafkaSpec): string[] {
  return kafka.topics.map((topic) => {
    const retention = topic.retentionHours === undefined ? "" : ` --config retention.ms=${topic.retentionHours * 3_600_000}`;
    return `  /opt/kafka/bin/kafka-topics.sh $tool --create --if-not-exists --topic ${topic.name} --partitions ${
      topic.partitions ?? 3
    } --replication-factor 1${retention}`;
  });
}

/**
 * `kafka-configs.sh` and `kafka-acls.sh` arguments that give each declared
 * user its SCRAM credential (password from its file) and the ACLs the
 * clusters' KafkaUser grants: topics literal or by prefix, and its consumer
 * group prefix when it reads.
 */
function userCommands(users: readonly KafkaUserSpec[]): string[] {
  return users.flatMap((user) => {
    const principal = `--allow-principal User:${user.name}`;
    // One JVM per ACL, every operation in it: each tool start costs a second or two.
    const acls = user.acls.map((acl) => {
      const prefixed = acl.topic.endsWith("*");
      const topic = prefixed ? `--topic ${acl.topic.slice(0, -1)} --resource-pattern-type prefixed` : `--topic ${acl.topic}`;
      const operations = acl.operations.map((operation) => `--operation ${operation}`).join(" ");
      return `  /opt/kafka/bin/kafka-acls.sh $tool --add ${principal} ${operations} ${topic}`;
    });
    const reads = user.acls.some((acl) => acl.operations.includes("Read") || acl.operations.includes("All"));
    const group = reads
      ? [
          `  /opt/kafka/bin/kafka-acls.sh $tool --add ${principal} --operation Read --group ${user.consumerGroupPrefix ?? `${user.name}-`} --resource-pattern-type prefixed`,
        ]
      : [];
    return [
      `  /opt/kafka/bin/kafka-configs.sh $tool --alter --entity-type users --entity-name ${user.name} \\`,
      `    --add-config "${KAFKA_SASL_MECHANISM}=[password=$(cat ${kafkaUserPasswordFile(user.name)})]"`,
      ...acls,
      ...group,
    ];
  });
}

/**
 * Formats the log directory once, with the admin's SCRAM credential (KRaft
 * keeps credentials in its metadata log, so they must exist before the
 * broker can authenticate to itself), creates the declared topics, users and
 * ACLs in the background once the broker answers (each command is idempotent:
 * a restart repeats them), and starts the broker.
 */
export function kafkaStartScript(kafka: ResolvedKafkaSpec): string {
  const topics = [...topicCommands(kafka), ...userCommands(kafka.users)];
  return configFile([
    "#!/bin/bash",
    "set -euo pipefail",
    "umask 077",
    `password="$(cat ${KAFKA_PASSWORD_FILE})"`,
    `jaas_login='org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN_USER}" password="'"$password"'";'`,
    "printf 'KafkaServer {\\n  %s\\n};\\n' \"$jaas_login\" > /tmp/kafka_server_jaas.conf",
    `printf 'security.protocol=SASL_PLAINTEXT\\nsasl.mechanism=${KAFKA_SASL_MECHANISM}\\nsasl.jaas.config=%s\\n' "$jaas_login" > ${KAFKA_CLIENT_PROPERTIES}`,
    `KAFKA_HEAP_OPTS=${TOOL_HEAP} /opt/kafka/bin/kafka-storage.sh format --ignore-formatted \\`,
    `  --cluster-id "$(KAFKA_HEAP_OPTS=${TOOL_HEAP} /opt/kafka/bin/kafka-storage.sh random-uuid)" \\`,
    `  --config ${KAFKA_CONFIG_DIR}/server.properties \\`,
    `  --add-scram "${KAFKA_SASL_MECHANISM}=[name=${KAFKA_ADMIN_USER},password=$password]"`,
    ...(topics.length === 0
      ? []
      : [
          "create_topics() {",
          `  local tool="--bootstrap-server 127.0.0.1:${KAFKA_INTERNAL_PORT} --command-config ${KAFKA_CLIENT_PROPERTIES}"`,
          `  export KAFKA_HEAP_OPTS=${TOOL_HEAP}`,
          "  until /opt/kafka/bin/kafka-broker-api-versions.sh $tool > /dev/null 2>&1; do sleep 3; done",
          ...topics,
          "}",
          "create_topics &",
        ]),
    "export KAFKA_OPTS=-Djava.security.auth.login.config=/tmp/kafka_server_jaas.conf",
    `exec /opt/kafka/bin/kafka-server-start.sh ${KAFKA_CONFIG_DIR}/server.properties`,
  ]);
}

/** The healthcheck: the broker answers an authenticated ApiVersions request. */
export function kafkaHealthcheckCommand(): string {
  return `KAFKA_HEAP_OPTS=${TOOL_HEAP} /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:${KAFKA_INTERNAL_PORT} --command-config ${KAFKA_CLIENT_PROPERTIES} > /dev/null`;
}
