import * as v from "valibot";
import { isWholeNumber } from "../../core/formats";
import { goDurationSeconds } from "../../core/quantities";
import { ProblemCollector } from "../../core/problems";
import { checkStructure, opaque, schemaOf } from "../../core/schema";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";

/**
 * How long a certificate cert-manager issues lives, and when it is renewed.
 * Both are Go durations, as cert-manager reads them: hours, minutes or
 * seconds (`2160h`, `90m`), no day or year unit.
 */
export interface CertificateLifetime {
  /** Lifetime of each issued certificate; cert-manager refuses less than 1h. @default - the certificate's own default */
  readonly duration?: string;
  /** How long before expiry the certificate is renewed; at least 5m and less than `duration`. @default - the certificate's own default */
  readonly renewBefore?: string;
}

export type ResolvedCertificateLifetime = Required<CertificateLifetime>;

/** cert-manager v1.21.1 refuses these (internal/apis/certmanager/validation/certificate.go, ValidateDuration). */
const MINIMUM_DURATION_SECONDS = 3600;
const MINIMUM_RENEW_BEFORE_SECONDS = 300;

/** The shape of a CertificateLifetime; `validateCertificateLifetime` checks its values. */
export const CERTIFICATE_LIFETIME_SCHEMA = schemaOf<CertificateLifetime>()(
  v.strictObject({ duration: v.optional(v.string()), renewBefore: v.optional(v.string()) }),
);

/**
 * The rules cert-manager's webhook applies to a Certificate's `duration` and
 * `renewBefore`, checked before anything is applied: Go durations, at least
 * 1h and 5m, and a renewal that starts before the certificate expires.
 */
export function validateCertificateLifetime(lifetime: ResolvedCertificateLifetime, problems: ProblemCollector): void {
  const duration = goDurationSeconds(lifetime.duration);
  const renewBefore = goDurationSeconds(lifetime.renewBefore);
  const format = "write a Go duration in hours, minutes or seconds, e.g. 2160h for 90 days: cert-manager knows no d or y unit";
  problems.check(duration !== undefined, "duration", "is not a Go duration", lifetime.duration, format);
  problems.check(renewBefore !== undefined, "renewBefore", "is not a Go duration", lifetime.renewBefore, format);
  if (duration === undefined || renewBefore === undefined) return;
  problems.check(
    duration >= MINIMUM_DURATION_SECONDS,
    "duration",
    "cert-manager refuses a certificate that lives less than 1h",
    lifetime.duration,
    "use 1h or more, e.g. 2160h",
  );
  problems.check(
    renewBefore >= MINIMUM_RENEW_BEFORE_SECONDS,
    "renewBefore",
    "cert-manager refuses a renewBefore under 5m",
    lifetime.renewBefore,
    "use 5m or more, e.g. 720h",
  );
  problems.check(
    duration > renewBefore,
    "duration",
    `is not longer than renewBefore (${lifetime.renewBefore}), so cert-manager refuses the Certificate: it would be due for renewal as soon as it is issued`,
    lifetime.duration,
    `make duration longer than renewBefore, e.g. three times ${lifetime.renewBefore}, or shorten renewBefore`,
  );
}

/** cert-manager and the environment's internal certificate authority. */
export interface CertManagerSpec {
  /**
   * Replicas of the controller, the webhook and the CA injector. The
   * controller and the injector elect a leader, so a second replica is a warm
   * standby; the webhook serves from every replica. A PodDisruptionBudget
   * comes with 2 or more.
   * @default - 2 in production, 1 elsewhere
   */
  readonly replicas?: number;
  /**
   * Lifetime of the environment's CA certificate. Every certificate it signs
   * ends no later than the CA does.
   * @default { duration: "87600h", renewBefore: "8760h" } (10 years, renewed 1 year ahead)
   */
  readonly ca?: CertificateLifetime;
  /** Values of the cert-manager chart merged over the platform's, last. @default - none */
  readonly values?: HelmValues;
}

export interface ResolvedCertManagerSpec {
  readonly replicas: number;
  readonly ca: ResolvedCertificateLifetime;
  readonly values: HelmValues;
}

/** @default ca */
export const CA_LIFETIME_DEFAULTS: ResolvedCertificateLifetime = { duration: "87600h", renewBefore: "8760h" };

export function resolveCertManager(spec: CertManagerSpec | undefined, context: ServiceContext): ResolvedCertManagerSpec {
  const resolved = withDefaults<CertManagerSpec>(
    { replicas: context.tier === "production" ? 2 : 1, ca: CA_LIFETIME_DEFAULTS, values: {} },
    spec,
  );
  return { ...resolved, ca: withDefaults(CA_LIFETIME_DEFAULTS, spec?.ca) };
}

/** The shape of a CertManagerSpec, checked before its values. */
export const CERT_MANAGER_SPEC_SCHEMA = schemaOf<CertManagerSpec>()(
  v.strictObject({
    replicas: v.optional(v.number()),
    ca: v.optional(CERTIFICATE_LIFETIME_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
  }),
);

export function validateCertManager(spec: CertManagerSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(CERT_MANAGER_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const certManager = resolveCertManager(spec, context);
  problems.check(
    isWholeNumber(certManager.replicas, 1),
    "replicas",
    "replicas must be a whole number of at least 1",
    certManager.replicas,
    "use 1, or 2 for a standby controller and a webhook that survives a node",
  );
  validateCertificateLifetime(certManager.ca, problems.at("ca"));
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}
