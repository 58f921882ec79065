import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { generatedPassword } from "../docker/generated-password";
import { memoryMiB } from "../docker/memory";
import { PlatformContainer } from "../docker/platform-container";
import { DockerServiceProps } from "../docker/service-props";
import { ScrapeJob } from "../observability/scrape-job";
import {
  KAFKA_ADMIN_USER,
  KAFKA_CONFIG_DIR,
  KAFKA_HOST_LISTENER_PORT,
  KAFKA_INTERNAL_PORT,
  KAFKA_PASSWORD_FILE,
  kafkaHealthcheckCommand,
  kafkaUserPasswordFile,
  kafkaStartScript,
  serverProperties,
} from "./docker-config";
import { KafkaSpec, resolveKafka } from "./spec";

export interface KafkaContainerProps extends DockerServiceProps {
  /** @default - the spec's defaults */
  readonly spec?: KafkaSpec;
  /** Host port of the SASL listener that clients on the laptop use. */
  readonly hostPort: number;
}

const EXPORTER_PORT = 9308;
const EXPORTER_MEMORY = "64Mi";
/**
 * Protocol version kafka_exporter speaks (its Sarama knows up to 4.0.0).
 * Kafka 4 dropped the protocol versions before 2.1, the exporter's default.
 */
const EXPORTER_PROTOCOL_VERSION = "4.0.0";

/**
 * Kafka on Docker: one KRaft node (broker and controller, no ZooKeeper) from
 * the official image at the clusters' Kafka version, SASL/SCRAM-SHA-512 with
 * a generated admin password on both client listeners, the environment's
 * retention and topics, its users (teams' included) with generated passwords
 * and the ACLs the clusters give them, and a kafka_exporter.
 */
export class KafkaContainer extends Construct {
  public readonly adminPassword: Password;
  /** Each declared user's generated password, by user name. */
  public readonly userPasswords: Readonly<Record<string, Password>>;
  public readonly broker: PlatformContainer;
  public readonly exporter: PlatformContainer;
  /** `kafka:19092`: bootstrap address for containers on the platform network. */
  public readonly internalBootstrap: string;
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(scope: Construct, id: string, props: KafkaContainerProps) {
    super(scope, id);
    const kafka = resolveKafka(props.spec);
    this.adminPassword = generatedPassword(this, "admin-password");
    const secret = { path: KAFKA_PASSWORD_FILE, content: this.adminPassword.result };
    this.userPasswords = Object.fromEntries(kafka.users.map((user) => [user.name, generatedPassword(this, `user-password-${user.name}`)]));
    const userSecrets = Object.entries(this.userPasswords).map(([user, password]) => ({
      path: kafkaUserPasswordFile(user),
      content: password.result,
    }));
    const hostname = "kafka";
    // Half the container's memory for the heap; the rest is page cache and tools.
    const heapMiB = Math.floor(memoryMiB(kafka.resources.limits.memory) / 2);
    this.broker = new PlatformContainer(this, "broker", {
      ...props,
      name: hostname,
      service: "kafka",
      image: "kafka",
      memory: kafka.resources.limits.memory,
      command: ["bash", `${KAFKA_CONFIG_DIR}/start.sh`],
      env: [`KAFKA_HEAP_OPTS=-Xms${heapMiB}m -Xmx${heapMiB}m`],
      files: [
        { path: `${KAFKA_CONFIG_DIR}/server.properties`, content: serverProperties(kafka, hostname, props.hostPort) },
        { path: `${KAFKA_CONFIG_DIR}/start.sh`, content: kafkaStartScript(kafka), executable: true },
        secret,
        ...userSecrets,
      ],
      volumes: [{ name: "kafka-data", containerPath: "/var/lib/kafka/data" }],
      ports: [{ host: props.hostPort, container: KAFKA_HOST_LISTENER_PORT }],
      // Each check starts a JVM: every 30 s, with time for the first start's format.
      healthcheck: { test: ["CMD-SHELL", kafkaHealthcheckCommand()], intervalSeconds: 30, timeoutSeconds: 20, startPeriodSeconds: 60 },
    });
    this.internalBootstrap = `${hostname}:${KAFKA_INTERNAL_PORT}`;

    this.exporter = new PlatformContainer(this, "exporter", {
      ...props,
      name: "kafka-exporter",
      service: "kafka",
      image: "kafkaExporter",
      memory: EXPORTER_MEMORY,
      // kafka_exporter takes the password as a flag only; read it from the file at start.
      entrypoint: ["/bin/sh", "-c"],
      command: [
        [
          "exec /bin/kafka_exporter",
          `--kafka.server=${this.internalBootstrap}`,
          `--kafka.version=${EXPORTER_PROTOCOL_VERSION}`,
          "--sasl.enabled",
          // kafka_exporter's name for SCRAM-SHA-512.
          "--sasl.mechanism=scram-sha512",
          `--sasl.username=${KAFKA_ADMIN_USER}`,
          `--sasl.password="$(cat ${KAFKA_PASSWORD_FILE})"`,
        ].join(" "),
      ],
      files: [secret],
      healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${EXPORTER_PORT}/healthz`] },
      // The exporter exits when Kafka does not answer at start.
      dependsOn: [this.broker.container],
    });
    this.scrapeJobs = [{ jobName: "kafka", targets: [`${this.exporter.hostname}:${EXPORTER_PORT}`] }];
  }
}
