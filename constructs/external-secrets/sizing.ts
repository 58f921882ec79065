import { ResourceRequirements } from "../common/sizing";

/** Each of the operator's containers (controller, webhook, cert controller); the limit leaves room for a burst of reconciles. */
export const EXTERNAL_SECRETS_RESOURCES: ResourceRequirements = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
