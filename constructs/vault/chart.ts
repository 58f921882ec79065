import { ChartSource } from "../helm/platform-release";

/**
 * HashiCorp Vault chart 0.34.1 (Vault 2.0.4). Values keys checked against the
 * chart's values.yaml and values.schema.json at v0.34.1: global.{enabled,
 * tlsDisable}, server.ha.{enabled,replicas,raft.{enabled,setNodeId,config},
 * disruptionBudget.enabled}, server.{dataStorage,auditStorage.{…,mountPath},
 * resources,nodeSelector,tolerations,affinity,statefulSet.securityContext.{pod,
 * container},extraVolumes,extraEnvironmentVars,extraSecretEnvironmentVars},
 * injector.{enabled,replicas,resources,nodeSelector,tolerations,affinity,
 * securityContext.{pod,container}}, ui.enabled,
 * serverTelemetry.serviceMonitor.{enabled,matchLabels,tlsConfig}. Templates
 * read at v0.34.1: `global.tlsDisable: false` makes every scheme the chart
 * writes https (VAULT_ADDR=https://127.0.0.1:8200, the probes, the Service
 * port names, the injector's AGENT_INJECT_VAULT_ADDR
 * https://<fullname>.<namespace>.svc:8200, the ServiceMonitor); an
 * `extraVolumes` Secret is mounted at /vault/userconfig/<name>; the chart sets
 * no VAULT_CACERT and, without `tlsConfig`, scrapes with insecureSkipVerify.
 * The schema closes no object.
 */
export const VAULT_CHART: ChartSource = {
  repository: "https://helm.releases.hashicorp.com",
  chart: "vault",
  version: "0.34.1",
};
