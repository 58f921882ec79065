import { HelmValues } from "../../../constructs/helm/merge-values";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { Construct } from "constructs";
import { KubernetesManifest, ManifestsRelease } from "../../../constructs/helm/manifests-release";
import { ChartSource, PlatformRelease } from "../../../constructs/helm/platform-release";

/** Builders of compliant objects; a fixture changes the one field its rule is about. */

export type Fields = Record<string, unknown>;

export const PINNED_IMAGE = "ghcr.io/example/api:1.4.2";

export const SECURE_CONTEXT: Fields = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export const RESOURCES: Fields = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/** A container every container rule accepts; `undefined` in `patch` removes a field. */
export function container(patch: Fields = {}): Fields {
  return {
    name: "api",
    image: PINNED_IMAGE,
    securityContext: SECURE_CONTEXT,
    resources: RESOURCES,
    ...patch,
  };
}

export interface WorkloadOptions {
  readonly kind?: "Deployment" | "StatefulSet" | "DaemonSet" | "Job";
  readonly name?: string;
  readonly replicas?: number;
  readonly containers?: readonly Fields[];
  /** Fields of the pod spec besides the containers. */
  readonly pod?: Fields;
}

export function workload(options: WorkloadOptions = {}): KubernetesManifest {
  const name = options.name ?? "api";
  const kind = options.kind ?? "Deployment";
  const template = { metadata: { labels: { app: name } }, spec: { containers: options.containers ?? [container()], ...options.pod } };
  const replicated = kind === "Deployment" || kind === "StatefulSet";
  return {
    apiVersion: kind === "Job" ? "batch/v1" : "apps/v1",
    kind,
    metadata: { name },
    spec: {
      ...(replicated ? { replicas: options.replicas ?? 1 } : {}),
      ...(kind === "Job" ? {} : { selector: { matchLabels: { app: name } } }),
      template,
    },
  };
}

/** A PodDisruptionBudget selecting the pods of `workload(name)`. */
export function budget(app: string, spec: Fields = { maxUnavailable: 1 }): KubernetesManifest {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: app },
    spec: { selector: { matchLabels: { app } }, ...spec },
  };
}

/** Spreads a workload's pods over nodes. */
export function antiAffinity(app: string): Fields {
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app } } } },
        ],
      },
    },
  };
}

export function cnpgCluster(spec: Fields): KubernetesManifest {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "pg" },
    spec: { storage: { size: "10Gi" }, resources: RESOURCES, ...spec },
  };
}

export function kafkaNodePool(name: string, spec: Fields): KubernetesManifest {
  return {
    apiVersion: "kafka.strimzi.io/v1",
    kind: "KafkaNodePool",
    metadata: { name, labels: { "strimzi.io/cluster": "events" } },
    spec: { roles: ["controller"], storage: { type: "persistent-claim", size: "10Gi" }, resources: RESOURCES, ...spec },
  };
}

/** Objects rendered the project's way: the platform-manifests chart. */
export function render(scope: Construct, manifests: readonly KubernetesManifest[], id = "objects"): ManifestsRelease {
  return new ManifestsRelease(scope, id, { name: id, namespace: "apps", manifests });
}

export const EXTERNAL_SECRETS: ChartSource = {
  chart: "external-secrets",
  repository: "https://charts.external-secrets.io",
  version: "2.9.0",
};

export const VAULT: ChartSource = { chart: "vault", repository: "https://helm.releases.hashicorp.com", version: "0.34.1" };

export const CERT_MANAGER: ChartSource = { chart: "cert-manager", repository: "https://charts.jetstack.io", version: "v1.21.1" };

/** cert-manager values with every component at `replicas`, budgets on from 2, and `affinity` on each. */
export function certManagerValues(replicas: number, affinity: object = {}): Fields {
  const component = { replicaCount: replicas, podDisruptionBudget: { enabled: replicas >= 2 }, affinity };
  return { ...component, webhook: component, cainjector: component };
}

export const REDIS_HA: ChartSource = { chart: "redis-ha", repository: "https://dandydeveloper.github.io/charts", version: "4.39.0" };

/** CloudNativePG's `cluster` chart, whose `cluster.*` values are a Cluster's spec. */
export const CNPG_CLUSTER: ChartSource = { chart: "cluster", repository: "https://cloudnative-pg.github.io/charts", version: "0.8.1" };

export function cnpgClusterValues(cluster: Fields): Fields {
  return { cluster: { storage: { size: "10Gi" }, resources: RESOURCES, ...cluster } };
}

/** A release the project's way, of a chart no HA rule is about unless `source` says otherwise. */
export function release(
  scope: Construct,
  values: HelmValues = {},
  source: ChartSource = EXTERNAL_SECRETS,
  id = "release",
): PlatformRelease {
  return new PlatformRelease(scope, id, { name: id, namespace: "apps", source, values });
}

/** `workload()` written with the kubernetes provider, whose fields are snake_case blocks and whose numbers are strings. */
export function providerDeployment(scope: Construct, options: { readonly replicas?: string; readonly image?: string } = {}): DeploymentV1 {
  return new DeploymentV1(scope, "deployment", {
    metadata: { name: "api", namespace: "apps" },
    spec: {
      replicas: options.replicas ?? "1",
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          container: [
            {
              name: "api",
              image: options.image ?? PINNED_IMAGE,
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            },
          ],
        },
      },
    },
  });
}

/** `budget()` written with the kubernetes provider. */
export function providerBudget(
  scope: Construct,
  spec: { readonly maxUnavailable?: string; readonly minAvailable?: string },
): PodDisruptionBudgetV1 {
  return new PodDisruptionBudgetV1(scope, "budget", {
    metadata: { name: "api", namespace: "apps" },
    spec: { selector: { matchLabels: { app: "api" } }, ...spec },
  });
}
