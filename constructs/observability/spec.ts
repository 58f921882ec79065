import { ProblemCollector } from "../../core/problems";
import { goDurationSeconds, prometheusDurationSeconds } from "../../core/quantities";
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
  /** Prometheus retention, a Prometheus duration of 2h or more, e.g. `15d`. @default "15d" */
  readonly prometheusRetention?: string;
  /** @default { size: "50Gi" } */
  readonly prometheusStorage?: StorageSpec;
  /** Alertmanager replicas (they gossip to deduplicate). @default - 3 in production, 1 elsewhere */
  readonly alertmanagerReplicas?: number;
  /** Loki log retention, a Prometheus duration of 24h or more, e.g. `168h` or `7d`. @default "168h" */
  readonly logRetention?: string;
  /** @default { size: "50Gi" } */
  readonly lokiStorage?: StorageSpec;
  /** Tempo trace retention, a Go duration of 1h or more (no days), e.g. `72h`. @default "72h" */
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

/**
 * The shortest retentions. Prometheus keeps its newest two hours in its head block whatever the
 * retention, so less is not honoured; Loki applies nothing shorter than a day ("The minimum
 * retention period is 24h", Loki's retention docs); Tempo: an hour, as traces kept less are gone
 * before an incident is looked at.
 */
export const MIN_RETENTION_SECONDS = { prometheus: 2 * 3600, loki: 24 * 3600, tempo: 3600 } as const;

const PROMETHEUS_UNITS = 'whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. "15d" or "1d12h"';

/**
 * A retention, read by its component's parser: Prometheus' and Loki's (retention_period is a
 * model.Duration) Prometheus durations, Tempo's Go durations, which have no days.
 */
function retentionProblem(value: string, component: keyof typeof MIN_RETENTION_SECONDS): { message: string; fix: string } | undefined {
  const go = component === "tempo";
  const seconds = go ? goDurationSeconds(value) : prometheusDurationSeconds(value);
  const title = { prometheus: "retention", loki: "log retention", tempo: "trace retention" }[component];
  if (seconds === undefined) {
    return go
      ? {
          message: `${title} is not a Go duration, which Tempo reads`,
          fix: 'write hours, minutes or seconds, e.g. "72h"; Go has no days, so a week is "168h"',
        }
      : {
          message: `${title} is not a Prometheus duration${component === "loki" ? ", which Loki reads" : ""}`,
          fix: `write ${PROMETHEUS_UNITS}`,
        };
  }
  const minimum = MIN_RETENTION_SECONDS[component];
  const shortest = `${minimum / 3600}h`;
  if (component === "loki" && seconds === 0) {
    return {
      message: "log retention 0 switches Loki's retention off: logs are kept until the volume fills",
      fix: `use ${shortest} or more, e.g. "168h"`,
    };
  }
  if (seconds < minimum) {
    const why = {
      prometheus: "Prometheus keeps its newest two hours in its head block regardless",
      loki: "the shortest retention Loki applies",
      tempo: "too short to look at an incident's traces",
    }[component];
    return { message: `${title} is below ${shortest}, ${why}`, fix: `use ${shortest} or more` };
  }
  return undefined;
}

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
  const retentions = [
    ["prometheusRetention", "prometheus"],
    ["logRetention", "loki"],
    ["traceRetention", "tempo"],
  ] as const;
  for (const [field, component] of retentions) {
    const problem = retentionProblem(o[field], component);
    if (problem !== undefined) problems.add(field, problem.message, o[field], problem.fix);
  }
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
