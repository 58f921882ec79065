import { AssetType, ITerraformDependable, TerraformAsset, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { projectPath } from "../project-paths";
import { ChartSource, PlatformRelease } from "./platform-release";

/** A complete Kubernetes object: the chart refuses one without these three fields. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string } & Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export interface ManifestsReleaseProps {
  /** Helm release name. */
  readonly name: string;
  /** Namespace that holds the release record (and namespaced objects without one). */
  readonly namespace: string;
  readonly manifests: readonly KubernetesManifest[];
  /** Typically the operator release whose CRDs these objects need. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** @default false */
  readonly preventDestroy?: boolean;
  /** Replace the release when one of these changes (Terraform `replace_triggered_by`). @default [] */
  readonly replaceTriggeredBy?: readonly TerraformResource[];
}

/** Version of `charts/platform-manifests`; bump it with the chart. */
export const PLATFORM_MANIFESTS_CHART_VERSION = "1.0.0";

/**
 * Custom resources applied through the project's own chart. Unlike
 * `kubernetes_manifest`, a Helm release does not need the CRD at plan time, so
 * an operator and its resources are planned and applied in one stack.
 */
export class ManifestsRelease extends Construct {
  public readonly helm: PlatformRelease;
  /** The objects it applies, as given. */
  public readonly manifests: readonly KubernetesManifest[];

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    this.manifests = props.manifests;
    this.helm = new PlatformRelease(this, "helm", {
      name: props.name,
      namespace: props.namespace,
      source: manifestsChart(this),
      values: { manifests: props.manifests },
      timeoutSeconds: 300,
      dependsOn: props.dependsOn,
      preventDestroy: props.preventDestroy,
      replaceTriggeredBy: props.replaceTriggeredBy,
    });
  }
}

/**
 * The project's manifests chart as a release source, for a release that must
 * keep another construct id than a `ManifestsRelease`'s (its values are
 * `{ manifests }`).
 */
export function manifestsChart(scope: Construct): ChartSource {
  return { chart: chartAsset(scope).path, version: PLATFORM_MANIFESTS_CHART_VERSION };
}

/** Construct id of the chart's asset, and so part of its synthesized path: `assets/<id>/<hash>`. */
export const MANIFESTS_CHART_ASSET = "platform-manifests-chart";

/** One copy of the chart per stack, shared by every manifests release in it. */
function chartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const id = MANIFESTS_CHART_ASSET;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof TerraformAsset) return existing;
  return new TerraformAsset(stack, id, { path: projectPath("charts", "platform-manifests"), type: AssetType.DIRECTORY });
}
