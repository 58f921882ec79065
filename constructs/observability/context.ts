import { ResolvedServiceProps } from "../kubernetes/service-props";
import { ObservabilityEndpoints } from "./endpoints";

/** What the observability values builders need to know about where they run. */
export interface ObservabilityContext extends Pick<ResolvedServiceProps, "environmentName" | "tier" | "placement"> {
  readonly endpoints: ObservabilityEndpoints;
  /** Where node-exporter runs: it needs the host, so it has a privileged namespace of its own. */
  readonly nodeExporterNamespace: string;
}
