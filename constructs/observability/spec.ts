import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkValuesByChart } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { StorageSpec, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf } from "../../core/schema";
import { STORAGE_SCHEMA } from "../common/sizing";

/**
 * Prometheus, Alertmanager, Grafana, Loki, Tempo and an OpenTelemetry collector.
 * Grafana runs one replica: replicas would each keep their own SQLite database
 * (users, sessions) until a shared database is wired.
 */
export interface ObservabilitySpec {
  /** Prometheus replicas (each scrapes everything). @default - 2 in production, 1 elsewhere */
  readonly prometheusReplicas?: number;
  /** Prometheus retention, e.g. `15d`. @default "15d" */
  readonly prometheusRetention?: string;
  /** @default { size: "50Gi" } */
  readonly prometheusStorage?: StorageSpec;
  /** Alertmanager replicas (they gossip to deduplicate). @default - 3 in production, 1 elsewhere */
  readonly alertmanagerReplicas?: number;
  /** Loki log retention, e.g. `168h`. @default "168h" */
  readonly logRetention?: string;
  /** @default { size: "50Gi" } */
  readonly lokiStorage?: StorageSpec;
  /** Tempo trace retention, e.g. `72h`. @default "72h" */
  readonly traceRetention?: string;
  /** @default { size: "20Gi" } */
  readonly tempoStorage?: StorageSpec;
  /** OpenTelemetry collector replicas. @default - 2 in production, 1 elsewhere */
  readonly collectorReplicas?: number;
  /**
   * Chart values merged over the platform's, last, by chart:
   * `kube-prometheus-stack`, `grafana`, `loki`, `tempo`, `opentelemetry-collector`.
   * @default - none
   */
  readonly values?: ObservabilityValues;
}

/** Values overrides of the observability releases, by chart name. */
export interface ObservabilityValues {
  readonly "kube-prometheus-stack"?: HelmValues;
  readonly grafana?: HelmValues;
  readonly loki?: HelmValues;
  readonly tempo?: HelmValues;
  readonly "opentelemetry-collector"?: HelmValues;
}

export const OBSERVABILITY_VALUES_KEYS: readonly (keyof ObservabilityValues)[] = [
  "kube-prometheus-stack",
  "grafana",
  "loki",
  "tempo",
  "opentelemetry-collector",
];

export type ResolvedObservabilitySpec = Required<ObservabilitySpec>;

export function resolveObservability(spec: ObservabilitySpec | undefined, context: ServiceContext): ResolvedObservabilitySpec {
  const production = context.tier === "production";
  return withDefaults<ObservabilitySpec>(
    {
      prometheusReplicas: production ? 2 : 1,
      prometheusRetention: "15d",
      prometheusStorage: { size: "50Gi" },
      alertmanagerReplicas: production ? 3 : 1,
      logRetention: "168h",
      lokiStorage: { size: "50Gi" },
      traceRetention: "72h",
      tempoStorage: { size: "20Gi" },
      collectorReplicas: production ? 2 : 1,
      values: {},
    },
    spec,
  );
}

const PROMETHEUS_DURATION = /^[1-9][0-9]*(ms|s|m|h|d|w|y)$/;
const GO_DURATION = /^[1-9][0-9]*(s|m|h)$/;

/** The shape of an ObservabilitySpec, checked before its values. */
export const OBSERVABILITY_SPEC_SCHEMA = schemaOf<ObservabilitySpec>()(
  v.strictObject({
    prometheusReplicas: v.optional(v.number()),
    prometheusRetention: v.optional(v.string()),
    prometheusStorage: v.optional(STORAGE_SCHEMA),
    alertmanagerReplicas: v.optional(v.number()),
    logRetention: v.optional(v.string()),
    lokiStorage: v.optional(STORAGE_SCHEMA),
    traceRetention: v.optional(v.string()),
    tempoStorage: v.optional(STORAGE_SCHEMA),
    collectorReplicas: v.optional(v.number()),
    values: v.optional(opaque<ObservabilityValues>()),
  }),
);

export function validateObservability(spec: ObservabilitySpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(OBSERVABILITY_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const o = resolveObservability(spec, context);
  problems.check(
    PROMETHEUS_DURATION.test(o.prometheusRetention),
    "prometheusRetention",
    "retention is not a Prometheus duration",
    o.prometheusRetention,
    "use e.g. 15d or 12h",
  );
  problems.check(
    GO_DURATION.test(o.logRetention),
    "logRetention",
    "log retention is not a duration in hours, minutes or seconds",
    o.logRetention,
    "use e.g. 168h",
  );
  problems.check(
    GO_DURATION.test(o.traceRetention),
    "traceRetention",
    "trace retention is not a duration in hours, minutes or seconds",
    o.traceRetention,
    "use e.g. 72h",
  );
  for (const field of ["prometheusReplicas", "collectorReplicas"] as const) {
    problems.check(
      Number.isInteger(o[field]) && o[field] >= 1,
      field,
      "replicas must be a whole number of at least 1",
      o[field],
      "use 1, or 2 for high availability",
    );
  }
  problems.check(
    Number.isInteger(o.alertmanagerReplicas) && (o.alertmanagerReplicas === 1 || o.alertmanagerReplicas >= 3),
    "alertmanagerReplicas",
    "Alertmanager clusters need 3 members to keep deduplicating with one down",
    o.alertmanagerReplicas,
    "use 1, or 3 for high availability",
  );
  validateStorage(o.prometheusStorage, problems.at("prometheusStorage"));
  validateStorage(o.lokiStorage, problems.at("lokiStorage"));
  validateStorage(o.tempoStorage, problems.at("tempoStorage"));
  checkValuesByChart(problems, spec?.values, OBSERVABILITY_VALUES_KEYS);
}
