import type { LocalImageName } from "../constructs/docker/images";
import type { LocalPortsSpec } from "../constructs/docker/ports";

import type { OvhKubernetesPlan } from "../core/ovh";
import type { NodePoolConfig } from "../core/placement";
import type { EnvironmentTier } from "../core/tiers";
import type { PlatformServicesConfig } from "../constructs/services";
import type { TeamSpec } from "../constructs/team/spec";

export type { NodePoolConfig, NodePoolRole, Taint } from "../core/placement";
export type { EnvironmentTarget, EnvironmentTier } from "../core/tiers";
export type { PlatformServicesConfig } from "../constructs/services";
export type { TeamSpec } from "../constructs/team/spec";

/**
 * The typed shape of an environment. Every file in `environments/` exports one
 * `EnvironmentConfig`; stacks read nothing else.
 */

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
  /**
   * OVHcloud Managed Kubernetes plan (provider `ovh` only): it sets how many nodes the cluster
   * holds, 100 on `free`, 500 on `standard` (OVHcloud's known limits), which validation checks the
   * node pools' maxNodes against. Nothing else depends on it.
   * @default "free" - the lower limit, so that a cluster is never assumed larger than it is
   */
  readonly plan?: OvhKubernetesPlan;
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

interface EnvironmentBase {
  /** Environment and stack name: a DNS-1123 label. */
  readonly name: string;
  readonly tier: EnvironmentTier;
  readonly state: StateConfig;
  /** @default - every service at its defaults */
  readonly services?: PlatformServicesConfig;
  /**
   * The application teams of this environment: each gets namespaces, quotas,
   * an Argo CD project and the platform services it declares, with its
   * credentials in its own namespaces. Share a team's definition between
   * environments and size its quota per environment.
   * @default []
   */
  readonly teams?: readonly TeamSpec[];
  /**
   * Refuse to destroy what holds data or capacity (node pools, stateful
   * releases) with Terraform's `prevent_destroy`.
   * @default false
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * How Terraform reaches the environment's Vault to apply its configuration
 * (the `<environment>-vault` stack). The token is never here: the Vault
 * provider reads it from VAULT_TOKEN.
 */
export interface VaultAccessConfig {
  /**
   * Vault's API as seen from where Terraform runs, https. The defaults
   * (`vaultThroughPortForward` in environments/shared.ts) are a port-forward:
   * `kubectl -n vault port-forward svc/vault-active 8200`, then `https://127.0.0.1:8200`.
   */
  readonly address: string;
  /** PEM file of the CA that signed Vault's certificate: absolute, or `~/…`. */
  readonly caCertFile: string;
  /**
   * Name to check Vault's certificate against, when the address's host is not
   * one of its names.
   * @default - the address's host
   */
  readonly tlsServerName?: string;
}

/** An environment on a Kubernetes cluster. */
export interface KubernetesEnvironmentConfig extends EnvironmentBase {
  readonly target: "kubernetes";
  readonly cluster: ClusterConfig;
  readonly nodePools: readonly NodePoolConfig[];
  /**
   * Where the `<environment>-vault` stack finds Vault. Required when the
   * environment runs Vault.
   * @default - none: no Vault configuration stack can be synthesized
   */
  readonly vaultAccess?: VaultAccessConfig;
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
