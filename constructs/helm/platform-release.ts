import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { valuesYaml } from "./values-yaml";

/** Where a chart comes from. Versions are exact: a range would let a plan change under a reviewer. */
export interface ChartSource {
  /** Chart name in the repository, or a path to a chart directory when `repository` is unset. */
  readonly chart: string;
  /** Repository URL (`https://…` or `oci://…`). @default - `chart` is a local path */
  readonly repository?: string;
  /** Exact chart version, e.g. `0.30.1`. */
  readonly version: string;
}

export interface PlatformReleaseProps {
  /** Helm release name. */
  readonly name: string;
  /** Namespace the release is installed into; it must exist. */
  readonly namespace: string;
  readonly source: ChartSource;
  /** Chart values; rendered as one YAML document. @default {} */
  readonly values?: object;
  /**
   * How long Helm waits for the release to become ready before rolling back.
   * @default 600 seconds
   */
  readonly timeoutSeconds?: number;
  /**
   * Revisions Helm keeps for `helm rollback`. Unbounded history slows every
   * upgrade and fills the namespace with release secrets.
   * @default 5
   */
  readonly maxHistory?: number;
  /** Releases that must be installed first. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Refuse to destroy this release (Terraform `prevent_destroy`), for releases
   * that hold data or capacity.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A Helm release with the settings every platform release needs: a pinned
 * chart, `atomic` install/upgrade with cleanup on failure, bounded history and
 * an explicit timeout.
 */
export class PlatformRelease extends Construct {
  public static readonly DEFAULT_TIMEOUT_SECONDS = 600;
  public static readonly DEFAULT_MAX_HISTORY = 5;

  public readonly release: Release;
  /** The values as given; the synth-time policies read them instead of parsing `valuesYaml` again. */
  public readonly values: object;
  /** The values exactly as passed to Helm. */
  public readonly valuesYaml: string;

  constructor(scope: Construct, id: string, props: PlatformReleaseProps) {
    super(scope, id);
    this.valuesYaml = valuesYaml(props.values ?? {});
    this.release = new Release(this, "release", {
      name: props.name,
      namespace: props.namespace,
      chart: props.source.chart,
      repository: props.source.repository,
      version: props.source.version,
      values: [this.valuesYaml],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      maxHistory: props.maxHistory ?? PlatformRelease.DEFAULT_MAX_HISTORY,
      timeout: props.timeoutSeconds ?? PlatformRelease.DEFAULT_TIMEOUT_SECONDS,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.values = props.values ?? {};
  }
}
