import { CONSENSUS_SIZES } from "../../environments/ha-rules";
import { ProblemCollector } from "../../environments/problems";
import { ServiceContext, isOdd } from "../common/context";
import { withDefaults } from "../common/defaults";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";

/** Vault with integrated (raft) storage. */
export interface VaultSpec {
  /**
   * Raft voters. Raft needs a majority to elect a leader: 3 survive one lost
   * node, 5 survive two. 1 is allowed in development only.
   * @default 3
   */
  readonly replicas?: number;
  /** Raft data volume. @default { size: "10Gi" } */
  readonly dataStorage?: StorageSpec;
  /** Audit log volume. @default { size: "10Gi" } */
  readonly auditStorage?: StorageSpec;
  /** Serve the web UI (behind the cluster's ingress, not exposed by this stack). @default true */
  readonly ui?: boolean;
  /** Run the agent injector (mutating webhook that injects secrets into pods). @default true */
  readonly injector?: boolean;
  /** Server container resources. @default 250m CPU, 512Mi memory */
  readonly resources?: ResourceRequirements;
}

export type ResolvedVaultSpec = Required<VaultSpec>;

export const VAULT_DEFAULTS: ResolvedVaultSpec = {
  replicas: 3,
  dataStorage: { size: "10Gi" },
  auditStorage: { size: "10Gi" },
  ui: true,
  injector: true,
  resources: resources("250m", "512Mi"),
};

export function resolveVault(spec?: VaultSpec): ResolvedVaultSpec {
  return withDefaults(VAULT_DEFAULTS, spec);
}

export function validateVault(spec: VaultSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  const vault = resolveVault(spec);
  const allowed = context.tier === "development" ? "1, 3 or 5" : "3 or 5";
  if (!isOdd(vault.replicas) || vault.replicas > Math.max(...CONSENSUS_SIZES)) {
    problems.add(
      "replicas",
      vault.replicas % 2 === 0
        ? `${vault.replicas} raft voters tolerate no more failures than ${vault.replicas - 1} and risk a split vote`
        : "raft voters must be 1, 3 or 5",
      vault.replicas,
      `use ${allowed}`,
    );
  } else if (vault.replicas === 1 && context.tier !== "development") {
    problems.add("replicas", `a ${context.tier} Vault cannot run a single raft voter`, vault.replicas, `use ${allowed}`);
  }
  validateStorage(vault.dataStorage, problems.at("dataStorage"));
  validateStorage(vault.auditStorage, problems.at("auditStorage"));
  validateResources(vault.resources, problems.at("resources"));
}

/** Synth-time warnings: allowed, but worth a second look. */
export function vaultWarnings(spec: VaultSpec | undefined): string[] {
  return resolveVault(spec).replicas === 1
    ? ["services.vault.replicas is 1: a single raft voter has no failover; acceptable in development only"]
    : [];
}
