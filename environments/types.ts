import type { ArgoCdSpec } from "../constructs/argocd/spec";
import type { LocalImageName } from "../constructs/docker/images";
import type { LocalPortsSpec } from "../constructs/docker/ports";
import type { ExternalSecretsSpec } from "../constructs/external-secrets/spec";
import type { KafkaSpec } from "../constructs/kafka/spec";
import type { ObservabilitySpec } from "../constructs/observability/spec";
import type { PostgresSpec } from "../constructs/postgres/spec";
import type { RedisSpec } from "../constructs/redis/spec";
import type { VaultSpec } from "../constructs/vault/spec";

/**
 * The typed shape of an environment. Every file in `environments/` exports one
 * `EnvironmentConfig`; stacks read nothing else.
 */

/** Where the platform runs. */
export type EnvironmentTarget = "kubernetes" | "docker";

/** A Kubernetes taint, as the scheduler sees it. */
export interface Taint {
  readonly key: string;
  /** @default - no value (`key:effect`) */
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/**
 * What a node pool is for: platform services run on the single `system` pool,
 * application workloads on `applications` pools.
 */
export type NodePoolRole = "system" | "applications";

/** A group of identical worker nodes. */
export interface NodePoolConfig {
  /**
   * Pool name. On OVHcloud it cannot change after creation: renaming a pool
   * replaces all its nodes.
   */
  readonly name: string;
  readonly role: NodePoolRole;
  /** Instance flavor, e.g. `b2-15`. Immutable on OVHcloud. */
  readonly flavor: string;
  readonly desiredNodes: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** @default true */
  readonly autoscale?: boolean;
  /**
   * Spread nodes over distinct hypervisors. Immutable on OVHcloud and caps
   * `maxNodes` at 5.
   * @default false
   */
  readonly antiAffinity?: boolean;
  /** @default false */
  readonly monthlyBilled?: boolean;
  /**
   * Labels put on every node of the pool. Platform services select the
   * system pool by these labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints put on every node of the pool. Platform services tolerate the
   * system pool's taints; other workloads are kept off it.
   * @default []
   */
  readonly taints?: readonly Taint[];
}

/** The managed Kubernetes cluster an environment deploys into. */
export interface ClusterConfig {
  /**
   * `ovh`: OVHcloud Managed Kubernetes; node pools are managed as `NodePool`
   * resources. `generic`: any cluster; node pools are assumed to exist and
   * only their labels and taints are used for placement.
   */
  readonly provider: "ovh" | "generic";
  /** Region of the cluster, e.g. `GRA`. Informational for `generic`. */
  readonly region: string;
  /** Path to the kubeconfig file, `~` allowed. */
  readonly kubeconfigPath: string;
  /** Context inside the kubeconfig. */
  readonly kubeconfigContext: string;
}

/** Terraform state kept in S3-compatible object storage. */
export interface S3StateConfig {
  readonly backend: "s3";
  /** Bucket name (S3 naming rules). */
  readonly bucket: string;
  /** Storage region, e.g. `gra`. */
  readonly region: string;
  /**
   * S3 endpoint URL.
   * @default - `https://s3.<region>.io.cloud.ovh.net` (OVHcloud Object Storage)
   */
  readonly endpoint?: string;
  /**
   * Prefix of the state object keys; each stack writes `<keyPrefix>/<stack>.tfstate`.
   * @default "platform"
   */
  readonly keyPrefix?: string;
}

/** Terraform state kept in a file on the machine that runs Terraform. */
export interface LocalStateConfig {
  readonly backend: "local";
  /**
   * State file path relative to the project root.
   * @default "terraform.<stack>.tfstate"
   */
  readonly path?: string;
}

export type StateConfig = S3StateConfig | LocalStateConfig;

/**
 * Sizing of the platform services. Each block is optional; an absent block
 * means the service's documented defaults (Argo CD: not installed).
 */
export interface PlatformServicesConfig {
  readonly vault?: VaultSpec;
  readonly externalSecrets?: ExternalSecretsSpec;
  readonly redis?: RedisSpec;
  readonly postgres?: PostgresSpec;
  readonly kafka?: KafkaSpec;
  readonly argocd?: ArgoCdSpec;
  readonly observability?: ObservabilitySpec;
}

/**
 * How much an environment matters. Availability rules follow the tier, not
 * the name: `development` may run single replicas, `staging` and `production`
 * must survive the loss of a node, `production` also spreads replicas hard.
 */
export type EnvironmentTier = "development" | "staging" | "production";

interface EnvironmentBase {
  /** Environment and stack name: a DNS-1123 label. */
  readonly name: string;
  readonly tier: EnvironmentTier;
  readonly state: StateConfig;
  /** @default - every service at its defaults */
  readonly services?: PlatformServicesConfig;
  /**
   * Refuse to destroy what holds data or capacity (node pools, stateful
   * releases) with Terraform's `prevent_destroy`.
   * @default false
   */
  readonly protectFromDestroy?: boolean;
}

/** An environment on a Kubernetes cluster. */
export interface KubernetesEnvironmentConfig extends EnvironmentBase {
  readonly target: "kubernetes";
  readonly cluster: ClusterConfig;
  readonly nodePools: readonly NodePoolConfig[];
}

/** An environment on a Docker engine, typically a laptop. */
export interface DockerEnvironmentConfig extends EnvironmentBase {
  readonly target: "docker";
  /**
   * Docker engine address.
   * @default "unix:///var/run/docker.sock"
   */
  readonly dockerHost?: string;
  /**
   * Host ports, published on 127.0.0.1 only.
   * @default - Vault 8201, Redis 6379-6381, sentinels 26379-26381, PostgreSQL 5432 and 5433, Kafka 9092, Prometheus 9090, Grafana 3000
   */
  readonly ports?: LocalPortsSpec;
  /**
   * Images to run instead of the pinned ones, e.g. to try a release locally.
   * Exact release tags only.
   * @default - the pins of constructs/docker/images.ts; Kafka at services.kafka.version
   */
  readonly images?: Partial<Record<LocalImageName, string>>;
}

export type EnvironmentConfig = KubernetesEnvironmentConfig | DockerEnvironmentConfig;
