import { consensusSizeProblem } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { withDefaults } from "../common/defaults";
import { checkHelmValues } from "../helm/check-values";
import { HelmValues } from "../helm/merge-values";
import { ResourceRequirements, StorageSpec, resources, validateResources, validateStorage } from "../common/sizing";
import * as v from "valibot";
import { checkStructure, opaque, schemaOf } from "../../core/schema";
import { RESOURCES_SCHEMA, STORAGE_SCHEMA } from "../common/sizing";
import {
  CERTIFICATE_LIFETIME_SCHEMA,
  CertificateLifetime,
  ResolvedCertificateLifetime,
  validateCertificateLifetime,
} from "../cert-manager/spec";
import { SEAL_SCHEMA, SHAMIR, validateSeal, VaultSeal } from "./seal";

/**
 * Where the chart mounts the audit volume (`server.auditStorage.mountPath`, its
 * default at v0.34.1, set explicitly): a `file` audit device writes below it.
 */
export const VAULT_AUDIT_DIRECTORY = "/vault/audit";

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
  /**
   * Lifetime of the certificate Vault's listener serves inside the cluster
   * (Kubernetes only: the local Docker server runs dev mode over HTTP). Vault
   * reads a renewed certificate on SIGHUP, not by itself: see docs/services.md.
   * @default { duration: "8760h", renewBefore: "720h" } (a year, renewed 30 days ahead)
   */
  readonly tls?: CertificateLifetime;
  /**
   * How Vault's root key is protected and a restarted node unsealed: Shamir
   * key shares an operator enters, or an auto-unseal seal open-source Vault
   * supports (AWS, Azure, Google Cloud, OCI or Alibaba Cloud KMS, or another
   * Vault's transit engine) with its credentials in an existing Secret.
   * Changing it on an initialised Vault is a seal migration (docs/services.md).
   * Kubernetes only: the local Docker server runs dev mode, unsealed at start.
   * @default { kind: "shamir" }
   */
  readonly seal?: VaultSeal;
  /**
   * Values of the vault chart merged over the platform's, last (as Helm
   * merges a values file), for settings no field above covers.
   * @default - none
   */
  readonly values?: HelmValues;
}

export interface ResolvedVaultSpec extends Required<Omit<VaultSpec, "tls">> {
  readonly tls: ResolvedCertificateLifetime;
}

/** @default tls */
export const VAULT_TLS_DEFAULTS: ResolvedCertificateLifetime = { duration: "8760h", renewBefore: "720h" };

export const VAULT_DEFAULTS: ResolvedVaultSpec = {
  replicas: 3,
  dataStorage: { size: "10Gi" },
  auditStorage: { size: "10Gi" },
  ui: true,
  injector: true,
  resources: resources("250m", "512Mi"),
  tls: VAULT_TLS_DEFAULTS,
  seal: SHAMIR,
  values: {},
};

export function resolveVault(spec?: VaultSpec): ResolvedVaultSpec {
  return { ...withDefaults<VaultSpec>(VAULT_DEFAULTS, spec), tls: withDefaults(VAULT_TLS_DEFAULTS, spec?.tls) };
}

/** The shape of a VaultSpec, checked before its values. */
export const VAULT_SPEC_SCHEMA = schemaOf<VaultSpec>()(
  v.strictObject({
    replicas: v.optional(v.number()),
    dataStorage: v.optional(STORAGE_SCHEMA),
    auditStorage: v.optional(STORAGE_SCHEMA),
    ui: v.optional(v.boolean()),
    injector: v.optional(v.boolean()),
    resources: v.optional(RESOURCES_SCHEMA),
    tls: v.optional(CERTIFICATE_LIFETIME_SCHEMA),
    seal: v.optional(SEAL_SCHEMA),
    values: v.optional(opaque<HelmValues>()),
  }),
);

export function validateVault(spec: VaultSpec | undefined, context: ServiceContext, problems: ProblemCollector): void {
  if (!checkStructure(VAULT_SPEC_SCHEMA, spec ?? {}, problems)) return;
  const vault = resolveVault(spec);
  const voters = consensusSizeProblem(vault.replicas, context.tier, "raft voters");
  if (voters !== undefined) problems.add("replicas", voters.message, vault.replicas, voters.fix);
  validateStorage(vault.dataStorage, problems.at("dataStorage"));
  validateStorage(vault.auditStorage, problems.at("auditStorage"));
  validateResources(vault.resources, problems.at("resources"));
  validateCertificateLifetime(vault.tls, problems.at("tls"));
  validateSeal(vault.seal, problems.at("seal"));
  if (spec?.values !== undefined) checkHelmValues(problems, "values", spec.values);
}

/** Synth-time warnings: allowed, but worth a second look. */
export function vaultWarnings(spec: VaultSpec | undefined): string[] {
  return resolveVault(spec).replicas === 1
    ? ["Vault runs a single raft voter (replicas: 1): no failover; acceptable in development only"]
    : [];
}
