import { ChartSource } from "../helm/platform-release";

/**
 * HashiCorp Vault chart 0.34.1 (Vault 2.0.4). Values keys checked against the
 * chart's values.yaml and values.schema.json at v0.34.1: server.ha.{enabled,
 * replicas,raft.{enabled,setNodeId,config},disruptionBudget.enabled},
 * server.{dataStorage,auditStorage,resources,nodeSelector,tolerations,affinity,
 * statefulSet.securityContext.{pod,container}}, injector.{enabled,replicas,
 * resources,nodeSelector,tolerations,affinity,securityContext.{pod,container}},
 * ui.enabled, serverTelemetry.serviceMonitor.enabled.
 */
export const VAULT_CHART: ChartSource = {
  repository: "https://helm.releases.hashicorp.com",
  chart: "vault",
  version: "0.34.1",
};
