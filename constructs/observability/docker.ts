import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { ServiceContext } from "../../core/service-context";
import { generatedPassword } from "../docker/generated-password";
import { PlatformContainer } from "../docker/platform-container";
import { DockerServiceProps } from "../docker/service-props";
import { ScrapeJob } from "./scrape-job";
import { ObservabilitySpec, resolveObservability } from "./spec";

export interface ObservabilityContainersProps extends DockerServiceProps {
  /** @default - the spec's defaults for the environment's tier */
  readonly spec?: ObservabilitySpec;
  readonly context: ServiceContext;
  readonly prometheusPort: number;
  readonly grafanaPort: number;
  /** What the services ask Prometheus to scrape. */
  readonly scrapeJobs: readonly ScrapeJob[];
}

const PROMETHEUS_PORT = 9090;
const GRAFANA_PORT = 3000;
/** The specs size these for clusters through their charts; locally they are fixed. */
const PROMETHEUS_MEMORY = "1Gi";
const GRAFANA_MEMORY = "512Mi";
export const GRAFANA_ADMIN_USER = "admin";
const GRAFANA_PASSWORD_FILE = "/run/secrets/grafana-admin-password";
const PROMETHEUS_SECRETS_DIR = "/etc/prometheus/secrets";

/**
 * Prometheus scraping every service's exporter (and itself and Grafana), with
 * the environment's retention, and Grafana with Prometheus provisioned as its
 * default data source and a generated admin password. Loki, Tempo and the
 * OpenTelemetry collector stay in the clusters (see README).
 */
export class ObservabilityContainers extends Construct {
  public readonly grafanaAdminPassword: Password;
  public readonly prometheus: PlatformContainer;
  public readonly grafana: PlatformContainer;

  constructor(scope: Construct, id: string, props: ObservabilityContainersProps) {
    super(scope, id);
    const observability = resolveObservability(props.spec, props.context);
    const jobs: ScrapeJob[] = [
      { jobName: "prometheus", targets: [`localhost:${PROMETHEUS_PORT}`] },
      { jobName: "grafana", targets: [`grafana:${GRAFANA_PORT}`] },
      ...props.scrapeJobs,
    ];
    const tokenFiles = jobs
      .filter((job) => job.bearerToken !== undefined)
      .map((job) => ({ path: `${PROMETHEUS_SECRETS_DIR}/${job.jobName}`, content: job.bearerToken ?? "" }));

    this.prometheus = new PlatformContainer(this, "prometheus", {
      ...props,
      name: "prometheus",
      service: "observability",
      image: "prometheus",
      memory: PROMETHEUS_MEMORY,
      command: [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        `--storage.tsdb.retention.time=${observability.prometheusRetention}`,
      ],
      files: [{ path: "/etc/prometheus/prometheus.yml", content: prometheusConfig(jobs) }, ...tokenFiles],
      volumes: [{ name: "prometheus-data", containerPath: "/prometheus" }],
      ports: [{ host: props.prometheusPort, container: PROMETHEUS_PORT }],
      healthcheck: { test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`] },
    });

    this.grafanaAdminPassword = generatedPassword(this, "grafana-admin-password");
    this.grafana = new PlatformContainer(this, "grafana", {
      ...props,
      name: "grafana",
      service: "observability",
      image: "grafana",
      memory: GRAFANA_MEMORY,
      env: [
        `GF_SECURITY_ADMIN_USER=${GRAFANA_ADMIN_USER}`,
        // Grafana reads any setting from a file named by <VARIABLE>__FILE.
        `GF_SECURITY_ADMIN_PASSWORD__FILE=${GRAFANA_PASSWORD_FILE}`,
        "GF_USERS_ALLOW_SIGN_UP=false",
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        // A laptop does not report usage or poll for updates.
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
      ],
      files: [
        { path: GRAFANA_PASSWORD_FILE, content: this.grafanaAdminPassword.result },
        {
          path: "/etc/grafana/provisioning/datasources/platform.yaml",
          content: grafanaDataSources(`http://${this.prometheus.hostname}:${PROMETHEUS_PORT}`),
        },
      ],
      volumes: [{ name: "grafana-data", containerPath: "/var/lib/grafana" }],
      ports: [{ host: props.grafanaPort, container: GRAFANA_PORT }],
      healthcheck: {
        test: ["CMD", "curl", "-fsS", "-o", "/dev/null", `http://127.0.0.1:${GRAFANA_PORT}/api/health`],
        startPeriodSeconds: 30,
      },
    });
  }
}

/** prometheus.yml: one job per scrape job; multi-target exporters get the standard relabelling. */
export function prometheusConfig(jobs: readonly ScrapeJob[]): string {
  return stringify(
    {
      global: { scrape_interval: "15s", evaluation_interval: "15s" },
      scrape_configs: jobs.map((job) => ({
        job_name: job.jobName,
        ...(job.metricsPath ? { metrics_path: job.metricsPath } : {}),
        ...(job.params ? { params: job.params } : {}),
        ...(job.bearerToken !== undefined ? { authorization: { credentials_file: `${PROMETHEUS_SECRETS_DIR}/${job.jobName}` } } : {}),
        static_configs: [{ targets: [...job.targets] }],
        ...(job.exporter
          ? {
              relabel_configs: [
                { source_labels: ["__address__"], target_label: "__param_target" },
                { source_labels: ["__param_target"], target_label: "instance" },
                { target_label: "__address__", replacement: job.exporter },
              ],
            }
          : {}),
      })),
    },
    { lineWidth: 0 },
  );
}

/** Grafana provisioning: Prometheus as the default, read-only data source. */
function grafanaDataSources(prometheusUrl: string): string {
  return stringify({
    apiVersion: 1,
    datasources: [
      { name: "Prometheus", uid: "prometheus", type: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true, editable: false },
    ],
  });
}
