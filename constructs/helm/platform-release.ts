import { Release } from "@cdktf/provider-helm/lib/release";
import { DefaultTokenResolver, ITerraformDependable, StringConcat, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ConfigurationError } from "../../core/problems";
import { replaceTriggers } from "../common/lifecycle";
import { HelmValues, mergeValues } from "./merge-values";
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
  readonly values?: HelmValues;
  /**
   * Values merged over `values`, last, as Helm merges a user's values file:
   * the escape hatch for a chart setting no typed prop covers. The policies
   * check the merged result.
   * @default - none
   */
  readonly overrides?: HelmValues;
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
  /**
   * Replace this release (uninstall, then install) whenever one of these
   * resources is updated or replaced: Terraform `replace_triggered_by`. The
   * plan shows the replacement and its reason.
   * @default [] - replaced only when its name or namespace changes
   */
  readonly replaceTriggeredBy?: readonly TerraformResource[];
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
  /** The values as passed to Helm, overrides merged; the synth-time policies read them instead of parsing `valuesYaml` again. */
  public readonly values: HelmValues;
  /** The values exactly as passed to Helm. */
  public readonly valuesYaml: string;

  constructor(scope: Construct, id: string, props: PlatformReleaseProps) {
    super(scope, id);
    this.values = props.overrides ? mergeValues(props.values ?? {}, props.overrides) : (props.values ?? {});
    this.valuesYaml = valuesYaml(this.values);
    claimReleaseName(this, props.namespace, props.name);
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
      lifecycle:
        props.preventDestroy || props.replaceTriggeredBy?.length
          ? {
              ...(props.preventDestroy ? { preventDestroy: true } : {}),
              ...(props.replaceTriggeredBy?.length ? { replaceTriggeredBy: replaceTriggers(props.replaceTriggeredBy) } : {}),
            }
          : undefined,
    });
  }
}

const RELEASES = new WeakMap<IConstruct, Map<string, string>>();

/** Helm refuses a second release of one name in one namespace: say so at synth, naming both constructs. */
function claimReleaseName(release: PlatformRelease, namespace: string, name: string): void {
  const stack = TerraformStack.of(release);
  let claimed = RELEASES.get(stack);
  if (claimed === undefined) RELEASES.set(stack, (claimed = new Map()));
  // A namespace given as a reference resolves to the same `${…}` expression wherever it is read.
  const resolved = Tokenization.resolve(namespace, {
    scope: stack,
    resolver: new DefaultTokenResolver(new StringConcat()),
    preparing: false,
  });
  const key = `${String(resolved)}/${name}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw new ConfigurationError([
      `${release.node.path}: name: Helm release "${name}" is already installed in namespace ${String(resolved)} by ${other} (got ${JSON.stringify(name)}; give one of them another release name or namespace)`,
    ]);
  }
  claimed.set(key, release.node.path);
}

/**
 * The name most charts give their objects (`<chart>.fullname` in the chart's
 * _helpers.tpl): the release name when it contains the chart's name, else
 * `<release>-<name>`. Services and pods are called after it.
 */
export function chartFullname(releaseName: string, chartName: string): string {
  return releaseName.includes(chartName) ? releaseName : `${releaseName}-${chartName}`;
}
