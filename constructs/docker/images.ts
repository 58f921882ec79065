import { ProblemCollector } from "../../core/problems";
import { resolveKafka, KafkaSpec } from "../kafka/spec";

/** The images the `local` environment runs, one `docker_image` each. */
export type LocalImageName =
  "vault" | "redis" | "postgres" | "kafka" | "prometheus" | "grafana" | "redisExporter" | "postgresExporter" | "kafkaExporter";

/**
 * Exact release tags, never a floating one: `latest` or `8` would let a
 * `cdktf deploy local` on Monday run something other than Friday's.
 * Kafka is absent: its tag follows `services.kafka.version`, the release the
 * clusters run (see `localImages`).
 */
export const LOCAL_IMAGES: Readonly<Record<Exclude<LocalImageName, "kafka">, string>> = {
  // Verified: pinned in public repositories (one records a 2.0.3 → 2.0.4 bump,
  // Aug 2026). The image's docker-entrypoint.sh runs `vault server
  // -config=/vault/config -dev-…` and drops to the vault user; `vault status`
  // (the vault binary) is the healthcheck.
  vault: "hashicorp/vault:2.0.4",
  // Verified: docker-library/official-images library/redis (2026-08) lists
  // 8.10.1 as `latest`, Debian trixie. The image has sh, redis-cli and
  // redis-sentinel; its docker-entrypoint.sh drops root with setpriv.
  redis: "redis:8.10.1",
  // Verified: official-images library/postgres (2026-08) lists 18.6 as
  // `latest`. PostgreSQL 18 images keep PGDATA in /var/lib/postgresql/18/docker
  // and declare the volume at /var/lib/postgresql; pg_isready and gosu are in.
  postgres: "postgres:18.6",
  // Verified: pinned in several public repositories (Sep 2026). The Dockerfile
  // builds FROM quay.io/prometheus/busybox: busybox wget serves the healthcheck.
  prometheus: "prom/prometheus:v3.15.0",
  // Verified: pinned in several public repositories, one with its digest. The
  // default image is Alpine and its Dockerfile installs curl (healthcheck);
  // Grafana reads `<VARIABLE>__FILE` settings from files (its Docker docs).
  grafana: "grafana/grafana:13.2.3",
  // Verified: tag v1.88.0 of oliver006/redis_exporter (2026-08); its release
  // workflow pushes `<tag>-alpine`, Alpine with busybox wget for the healthcheck.
  redisExporter: "oliver006/redis_exporter:v1.88.0-alpine",
  // Verified: tag v0.20.1 of prometheus-community/postgres_exporter (2026-08);
  // its Dockerfile is busybox-based (wget); the README documents DATA_SOURCE_PASS_FILE.
  postgresExporter: "prometheuscommunity/postgres-exporter:v0.20.1",
  // Verified: v1.9.0 is the newest tag of danielqsj/kafka_exporter; its
  // Dockerfile is busybox-based (sh, wget); it takes the SASL password only as
  // a flag, so a shell reads it from the secret file.
  kafkaExporter: "danielqsj/kafka-exporter:v1.9.0",
};

/**
 * The Apache Kafka project's image, tagged by Kafka release (KRaft, no
 * ZooKeeper). Verified: apache/kafka:4.3.1 is pinned, with its digest, in
 * public repositories; the image (docker/jvm/Dockerfile) is Alpine with bash
 * and ships /opt/kafka/bin/kafka-broker-api-versions.sh.
 */
export const KAFKA_IMAGE_REPOSITORY = "apache/kafka";

/**
 * Every image of an environment: the pinned table, Kafka at the clusters'
 * version, then the environment's overrides.
 */
export function localImages(
  kafka: KafkaSpec | undefined,
  overrides: Partial<Record<LocalImageName, string>> | undefined,
): Readonly<Record<LocalImageName, string>> {
  return { ...LOCAL_IMAGES, kafka: `${KAFKA_IMAGE_REPOSITORY}:${resolveKafka(kafka).version}`, ...(overrides ?? {}) };
}

/** `v`, major.minor.patch and an optional suffix: `8.10.1`, `v1.88.0-alpine`. */
const RELEASE_TAG = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/**
 * Repositories whose releases have two numbers (PostgreSQL 10 and later:
 * `18.6` is a release, `18` floats). Elsewhere `8.10` floats over patches.
 */
const TWO_NUMBER_RELEASES = new Set(["postgres", "library/postgres", "docker.io/library/postgres"]);
const TWO_NUMBER_TAG = /^\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** Repository and tag of an image reference; no tag for `redis` or `host:5000/redis`. */
export function parseImage(reference: string): { readonly repository: string; readonly tag?: string } {
  const withoutDigest = reference.split("@")[0];
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) } : { repository: withoutDigest };
}

/** True for an exact release tag; `latest`, no tag and a floating `8` or `8.10` are not. */
export function hasExactTag(reference: string): boolean {
  const { repository, tag } = parseImage(reference);
  if (tag === undefined) return false;
  return RELEASE_TAG.test(tag) || (TWO_NUMBER_RELEASES.has(repository) && TWO_NUMBER_TAG.test(tag));
}

export function validateLocalImages(images: Readonly<Record<string, string>>, problems: ProblemCollector): void {
  for (const [name, reference] of Object.entries(images)) {
    problems.check(
      hasExactTag(reference),
      name,
      "image is not pinned to an exact release tag",
      reference,
      "use a released version such as redis:8.10.1 or prom/prometheus:v3.15.0, never latest, a floating 8 or 8.10, or no tag",
    );
  }
}
