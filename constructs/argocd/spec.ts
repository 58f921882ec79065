import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkValuesByChart } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf, stringOf } from "../../core/schema";

/** The Git repository the app-of-apps root Application follows. */
export interface GitSourceSpec {
  /** Repository URL (https or ssh). */
  readonly repoUrl: string;
  /** Directory of the environment's Application manifests. */
  readonly path: string;
  /** Branch, tag or commit. @default "main" */
  readonly targetRevision?: string;
}

/** Argo CD with one AppProject and an app-of-apps root Application per environment. */
export interface ArgoCdSpec {
  readonly source: GitSourceSpec;
  /**
   * Replicated server, repo-server, controller and Redis HA with hard
   * anti-affinity. Needs 3 or more nodes in the system pool.
   * @default - true in production, false elsewhere
   */
  readonly highAvailability?: boolean;
  /**
   * `automated`: sync on every commit with prune and self-heal; `manual`: a
   * person presses Sync after reading the diff.
   * @default - automated in development, manual elsewhere
   */
  readonly syncPolicy?: "automated" | "manual";
  /** External URL of the UI, for links and SSO callbacks. @default - none */
  readonly url?: string;
  /**
   * Chart values merged over the platform's, last, by chart: `argo-cd` (e.g.
   * `configs.cm["oidc.config"]` for SSO) and `argocd-apps`.
   * @default - none
   */
  readonly values?: ArgoCdValues;
}

/** Values overrides of the Argo CD releases, by chart name. */
export interface ArgoCdValues {
  readonly "argo-cd"?: HelmValues;
  readonly "argocd-apps"?: HelmValues;
}

export const ARGOCD_VALUES_KEYS: readonly (keyof ArgoCdValues)[] = ["argo-cd", "argocd-apps"];

export interface ResolvedArgoCdSpec {
  readonly source: Required<GitSourceSpec>;
  readonly highAvailability: boolean;
  readonly syncPolicy: "automated" | "manual";
  readonly url?: string;
  readonly values: ArgoCdValues;
}

/** Argo CD HA spreads Redis HA and the controllers over distinct nodes: three at least. */
export const ARGOCD_HA_MIN_NODES = 3;

export function resolveArgoCd(spec: ArgoCdSpec, context: ServiceContext): ResolvedArgoCdSpec {
  return {
    source: withDefaults<GitSourceSpec>({ repoUrl: "", path: "", targetRevision: "main" }, spec.source),
    highAvailability: spec.highAvailability ?? context.tier === "production",
    syncPolicy: spec.syncPolicy ?? (context.tier === "development" ? "automated" : "manual"),
    url: spec.url,
    values: spec.values ?? {},
  };
}

/** The shape of an ArgoCdSpec, checked before its values. */
export const ARGOCD_SPEC_SCHEMA = schemaOf<ArgoCdSpec>()(
  v.strictObject({
    source: v.strictObject({ repoUrl: v.string(), path: v.string(), targetRevision: v.optional(v.string()) }),
    highAvailability: v.optional(v.boolean()),
    syncPolicy: v.optional(stringOf<"automated" | "manual">()),
    url: v.optional(v.string()),
    values: v.optional(opaque<ArgoCdValues>()),
  }),
);

export function validateArgoCd(spec: ArgoCdSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (spec === undefined) return;
  if (!checkStructure(ARGOCD_SPEC_SCHEMA, spec, problems)) return;
  const argocd = resolveArgoCd(spec, context);
  problems.check(
    /^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(argocd.source.repoUrl),
    "source.repoUrl",
    "repository is not an https or ssh Git URL",
    argocd.source.repoUrl,
    "use e.g. https://github.com/acme/platform-apps.git",
  );
  problems.check(
    argocd.source.path !== "" && !argocd.source.path.startsWith("/") && !argocd.source.path.includes(".."),
    "source.path",
    "path must be a relative directory inside the repository",
    argocd.source.path,
    "e.g. environments/dev",
  );
  problems.check(
    argocd.source.targetRevision.trim() !== "",
    "source.targetRevision",
    "target revision is empty",
    argocd.source.targetRevision,
    "use a branch, tag or commit",
  );
  problems.check(
    ["automated", "manual"].includes(argocd.syncPolicy),
    "syncPolicy",
    "unknown sync policy",
    argocd.syncPolicy,
    'use "automated" or "manual"',
  );
  if (argocd.highAvailability && context.systemPool) {
    problems.check(
      context.systemPool.minNodes >= ARGOCD_HA_MIN_NODES,
      "highAvailability",
      `Argo CD HA needs ${ARGOCD_HA_MIN_NODES} nodes for its hard anti-affinity, but the system pool "${context.systemPool.name}" may shrink to ${context.systemPool.minNodes}`,
      argocd.highAvailability,
      `raise the system pool's minNodes to ${ARGOCD_HA_MIN_NODES} or set highAvailability: false`,
    );
  }
  if (argocd.url !== undefined) {
    problems.check(/^https:\/\/[^\s]+$/.test(argocd.url), "url", "URL is not https", argocd.url, "use e.g. https://argocd.dev.example.com");
  }
  checkValuesByChart(problems, spec.values, ARGOCD_VALUES_KEYS);
}
