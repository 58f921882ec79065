import { ResourceRequirements, resources } from "../common/sizing";

/** The agent injector's container: a mutating webhook, light on CPU and memory. */
export const VAULT_INJECTOR_RESOURCES: ResourceRequirements = resources("50m", "128Mi");
