import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { goDurationProblem } from "../common/durations";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf } from "../../core/schema";

/** External Secrets: credentials generated in the cluster or read from Vault, never from Terraform. */
export interface ExternalSecretsSpec {
  /** Vault KV v2 mount that holds platform secrets. @default "platform" */
  readonly vaultMount?: string;
  /** Vault Kubernetes auth mount. @default "kubernetes" */
  readonly vaultAuthMount?: string;
  /** Vault role bound to the operator's service account. @default "external-secrets" */
  readonly vaultRole?: string;
  /** Operator replicas (leader election above 1). @default - 2 in production, 1 elsewhere */
  readonly replicas?: number;
  /** How often secrets are re-read from Vault. @default "1h" */
  readonly refreshInterval?: string;
  /** Values of the external-secrets chart merged over the platform's, last. @default - none */
  readonly values?: HelmValues;
}

export type ResolvedExternalSecretsSpec = Required<ExternalSecretsSpec>;

export function resolveExternalSecrets(spec: ExternalSecretsSpec | undefined, context: ServiceContext): ResolvedExternalSecretsSpec {
  return withDefaults<ExternalSecretsSpec>(
    {
      vaultMount: "platform",
      vaultAuthMount: "kubernetes",
      vaultRole: "external-secrets",
      replicas: context.tier === "production" ? 2 : 1,
      refreshInterval: "1h",
      values: {},
    },
    spec,
  );
}

/** The shape of an ExternalSecretsSpec, checked before its values. */
export const EXTERNAL_SECRETS_SPEC_SCHEMA = schemaOf<ExternalSecretsSpec>()(
  v.strictObject({
    vaultMount: v.optional(v.string()),
    vaultAuthMount: v.optional(v.string()),
    vaultRole: v.optional(v.string()),
    replicas: v.optional(v.number()),
    refreshInterval: v.optional(v.string()),
    values: v.optional(opaque<HelmValues>()),
  }),
);

/** Every ExternalSecret reads Vault at each interval: more often than a minute only loads Vault. */
const MIN_REFRESH = { seconds: 60, text: "1m", why: "every ExternalSecret would read Vault that often" };

export function validateExternalSecrets(spec: ExternalSecretsSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(EXTERNAL_SECRETS_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const eso = resolveExternalSecrets(spec, context);
  for (const field of ["vaultMount", "vaultAuthMount"] as const) {
    problems.check(
      /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\/[a-zA-Z0-9_-]+)*$/.test(eso[field]),
      field,
      "Vault mount path is not allowed",
      eso[field],
      "use path segments without leading or trailing '/'",
    );
  }
  problems.check(
    /^[a-z0-9][a-z0-9_-]*$/.test(eso.vaultRole),
    "vaultRole",
    "Vault role name is not allowed",
    eso.vaultRole,
    "use lowercase letters, digits, '-' and '_'",
  );
  problems.check(
    Number.isInteger(eso.replicas) && eso.replicas >= 1,
    "replicas",
    "replicas must be a whole number of at least 1",
    eso.replicas,
    "use 1 or 2",
  );
  const refresh = goDurationProblem(eso.refreshInterval, "refresh interval", MIN_REFRESH, "reads each secret once and never again");
  if (refresh !== undefined) problems.add("refreshInterval", refresh.message, eso.refreshInterval, refresh.fix);
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}
