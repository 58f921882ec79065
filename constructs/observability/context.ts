import { KubernetesServiceProps } from "../kubernetes/service-props";

/** What the observability values builders need to know about the environment. */
export type ObservabilityContext = Pick<KubernetesServiceProps, "environmentName" | "tier" | "placement">;
