import * as v from "valibot";
import { isDns1123Label, isServerUrl } from "../../core/formats";
import { ProblemCollector } from "../../core/problems";
import { checkStructure, schemaOf, stringOf } from "../../core/schema";
import { withDefaults } from "../common/defaults";
import { VAULT_AUDIT_DIRECTORY } from "../vault/spec";

/**
 * Vault's own configuration, declared as data: the KV v2 mount the platform
 * reads, Kubernetes auth, one ACL policy per consumer, the roles that bind
 * them to service accounts, and the audit device. Rendered by
 * `VaultConfiguration` (configuration.ts) with the Vault Terraform provider,
 * in a stack of its own: the provider needs a reachable, unsealed Vault.
 */

/**
 * What a policy rule allows, from Vault's list (Vault Community's ACL parser).
 * `recover` (snapshot recovery) is Vault Enterprise's and is not accepted here.
 */
export type VaultCapability = "create" | "read" | "update" | "patch" | "delete" | "list" | "sudo" | "deny" | "subscribe";

export const VAULT_CAPABILITIES: readonly VaultCapability[] = [
  "create",
  "read",
  "update",
  "patch",
  "delete",
  "list",
  "sudo",
  "deny",
  "subscribe",
];

/** One `path "…" { capabilities = […] }` block of a policy. */
export interface VaultPolicyRule {
  /**
   * A Vault API path, e.g. `platform/data/postgres/backup-s3`. `*` may end it
   * (a prefix glob) and `+` may stand for one whole segment. Below a KV v2
   * mount a secret's value is at `<mount>/data/<key>` and its versions and
   * metadata at `<mount>/metadata/<key>`: `<mount>/<key>` matches nothing.
   */
  readonly path: string;
  /** What the holder may do there; `deny` stands alone. */
  readonly capabilities: readonly VaultCapability[];
  /** Why the holder needs it, written as a comment above the rule (one line). @default - none */
  readonly comment?: string;
}

/** An ACL policy: one per consumer, with the least it needs. */
export interface VaultPolicySpec {
  /** Policy name: lowercase letters, digits, '-' and '_' (Vault lowercases names). */
  readonly name: string;
  /** What the policy is for, written as its first comment line. @default - none */
  readonly description?: string;
  /** At least one rule. */
  readonly rules: readonly VaultPolicyRule[];
}

/** A role of the Kubernetes auth method: which service accounts log in, and the policies their tokens get. */
export interface VaultKubernetesRoleSpec {
  /** Role name, as clients name it when they log in (`vault write auth/<mount>/login role=…`). */
  readonly name: string;
  /** Service accounts that may log in with this role; at least one, no wildcard. */
  readonly serviceAccounts: readonly string[];
  /** Namespaces of those service accounts; at least one, no wildcard. */
  readonly namespaces: readonly string[];
  /**
   * Policies of the tokens issued: each declared in this configuration, or
   * Vault's built-in `default` (which every token gets anyway: it lets a
   * token look itself up and revoke itself).
   */
  readonly policies: readonly string[];
  /** Lifetime of a token issued by this role. @default "15m" */
  readonly tokenTtl?: string;
  /** Renewals never extend a token past this. @default - the token TTL: no renewal past it */
  readonly tokenMaxTtl?: string;
  /** Audience the service account token must carry (`aud`). @default - none: Vault does not check it, and logs a warning */
  readonly audience?: string;
}

/** The audit device: a file on the audit volume the Vault chart mounts in every server pod. */
export interface VaultAuditSpec {
  /** The device's path in Vault (`vault audit list`). @default "file" */
  readonly path?: string;
  /** Where each server writes its log: below /vault/audit, or `stdout`. @default "/vault/audit/audit.log" */
  readonly filePath?: string;
  /**
   * A local device is not replicated to performance-replication secondaries
   * (Vault Enterprise). This Vault is one raft cluster whose every node has its
   * own audit volume: a replicated (non-local) device makes every node, active
   * or promoted later, write its own log.
   * @default false
   */
  readonly local?: boolean;
}

export interface VaultConfigurationSpec {
  /** KV v2 mount holding the platform's secrets (External Secrets' `vaultMount`). @default "platform" */
  readonly kvMount?: string;
  /** Path of the Kubernetes auth method (External Secrets' `vaultAuthMount`). @default "kubernetes" */
  readonly kubernetesAuthMount?: string;
  /**
   * The Kubernetes API server Vault asks to review service account tokens. Vault
   * runs in the cluster: it reviews them with its own service account token and
   * CA (no reviewer JWT or CA is configured), which the Vault chart binds to
   * `system:auth-delegator`.
   * @default "https://kubernetes.default.svc:443"
   */
  readonly kubernetesHost?: string;
  /** ACL policies, one per consumer. @default [] */
  readonly policies?: readonly VaultPolicySpec[];
  /** Kubernetes auth roles. @default [] */
  readonly roles?: readonly VaultKubernetesRoleSpec[];
  /** @default { path: "file", filePath: "/vault/audit/audit.log", local: false } */
  readonly audit?: VaultAuditSpec;
  /**
   * Name of the policy that lets a token apply this configuration and nothing
   * more; its rules are derived from what is declared here (see
   * `configurationPolicy`). CI's token is created with it.
   * @default "platform-configuration"
   */
  readonly configurationPolicy?: string;
}

export interface ResolvedVaultKubernetesRole extends Required<Omit<VaultKubernetesRoleSpec, "audience">> {
  readonly audience?: string;
}

export interface ResolvedVaultConfiguration {
  readonly kvMount: string;
  readonly kubernetesAuthMount: string;
  readonly kubernetesHost: string;
  readonly policies: readonly VaultPolicySpec[];
  readonly roles: readonly ResolvedVaultKubernetesRole[];
  readonly audit: Required<VaultAuditSpec>;
  readonly configurationPolicy: string;
}

/** Where the Vault chart mounts the audit volume in every server pod. */
export { VAULT_AUDIT_DIRECTORY };

/** The policy every token gets unless told otherwise, built into Vault. */
export const DEFAULT_POLICY = "default";
/** Built-in policies a configuration cannot declare: `root` and `response-wrapping` cannot be written, `default` is Vault's. */
export const RESERVED_POLICY_NAMES: readonly string[] = ["root", DEFAULT_POLICY, "response-wrapping"];

export const VAULT_CONFIGURATION_DEFAULTS = {
  kvMount: "platform",
  kubernetesAuthMount: "kubernetes",
  kubernetesHost: "https://kubernetes.default.svc:443",
  audit: { path: "file", filePath: `${VAULT_AUDIT_DIRECTORY}/audit.log`, local: false },
  configurationPolicy: "platform-configuration",
  tokenTtl: "15m",
} as const;

export function resolveVaultConfiguration(spec?: VaultConfigurationSpec): ResolvedVaultConfiguration {
  const d = VAULT_CONFIGURATION_DEFAULTS;
  return {
    kvMount: spec?.kvMount ?? d.kvMount,
    kubernetesAuthMount: spec?.kubernetesAuthMount ?? d.kubernetesAuthMount,
    kubernetesHost: spec?.kubernetesHost ?? d.kubernetesHost,
    policies: spec?.policies ?? [],
    roles: (spec?.roles ?? []).map((role) => {
      const tokenTtl = role.tokenTtl ?? d.tokenTtl;
      return { ...role, tokenTtl, tokenMaxTtl: role.tokenMaxTtl ?? tokenTtl };
    }),
    audit: withDefaults<VaultAuditSpec>(d.audit, spec?.audit),
    configurationPolicy: spec?.configurationPolicy ?? d.configurationPolicy,
  };
}

/** `15m` → 900: Vault's token TTLs, in seconds as the provider takes them. */
export function durationSeconds(duration: string): number {
  const match = /^([1-9][0-9]*)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"];
}

/**
 * The policy that lets a token apply this configuration: derived from what
 * the configuration declares, so it grows with it. It never deletes the KV
 * mount (its secrets would go), the auth method (every token it issued would
 * be revoked) or the audit device: removing one of those from the code fails
 * at apply for this token, and is a root operator's decision.
 */
export function configurationPolicy(config: ResolvedVaultConfiguration): VaultPolicySpec {
  const kv = config.kvMount;
  const auth = config.kubernetesAuthMount;
  return {
    name: config.configurationPolicy,
    description: "Applies Vault's configuration (the <environment>-vault stack); created for CI's token. Derived from the stack.",
    rules: [
      {
        path: "auth/token/create",
        capabilities: ["update"],
        comment: "The Terraform provider works with a short-lived child token of this one",
      },
      {
        path: `sys/mounts/${kv}`,
        capabilities: ["create", "read", "update"],
        comment: `Enable and read the KV v2 mount ${kv}; no delete: every secret in it would go`,
      },
      { path: `sys/mounts/${kv}/tune`, capabilities: ["read", "update"] },
      {
        path: `sys/auth/${auth}`,
        capabilities: ["create", "read", "update", "sudo"],
        comment: `Enable and read Kubernetes auth at auth/${auth} (sys/auth/* needs sudo); no delete: it would revoke every token it issued`,
      },
      { path: `sys/mounts/auth/${auth}/tune`, capabilities: ["read", "update"] },
      { path: `auth/${auth}/config`, capabilities: ["create", "read", "update"] },
      { path: `auth/${auth}/role/*`, capabilities: ["create", "read", "update", "delete"] },
      {
        path: "sys/policies/acl/*",
        capabilities: ["create", "read", "update", "delete"],
        comment: "Every ACL policy, this one included: a token that writes policies can widen its own, guard it like the root token",
      },
      { path: "sys/audit", capabilities: ["read", "sudo"], comment: "List the audit devices (needs sudo)" },
      {
        path: `sys/audit/${config.audit.path}`,
        capabilities: ["create", "update", "sudo"],
        comment: `Enable the audit device ${config.audit.path}; no delete: disabling audit is a root operator's decision`,
      },
    ],
  };
}

/** Every policy the configuration declares: its own, then the configuration policy. */
export function declaredPolicies(config: ResolvedVaultConfiguration): VaultPolicySpec[] {
  return [...config.policies, configurationPolicy(config)];
}

/** The policy document Vault stores, in HCL, rules in the order declared. */
export function renderPolicy(policy: VaultPolicySpec): string {
  const blocks = policy.rules.map((rule) => {
    const comment = rule.comment === undefined ? "" : `# ${rule.comment}\n`;
    const capabilities = rule.capabilities.map((capability) => JSON.stringify(capability)).join(", ");
    return `${comment}path ${JSON.stringify(rule.path)} {\n  capabilities = [${capabilities}]\n}\n`;
  });
  const header = policy.description === undefined ? "" : `# ${policy.description}\n\n`;
  return `${header}${blocks.join("\n")}`;
}

const RULE_SCHEMA = schemaOf<VaultPolicyRule>()(
  v.strictObject({ path: v.string(), capabilities: v.array(stringOf<VaultCapability>()), comment: v.optional(v.string()) }),
);

const POLICY_SCHEMA = schemaOf<VaultPolicySpec>()(
  v.strictObject({ name: v.string(), description: v.optional(v.string()), rules: v.array(RULE_SCHEMA) }),
);

const ROLE_SCHEMA = schemaOf<VaultKubernetesRoleSpec>()(
  v.strictObject({
    name: v.string(),
    serviceAccounts: v.array(v.string()),
    namespaces: v.array(v.string()),
    policies: v.array(v.string()),
    tokenTtl: v.optional(v.string()),
    tokenMaxTtl: v.optional(v.string()),
    audience: v.optional(v.string()),
  }),
);

const AUDIT_SCHEMA = schemaOf<VaultAuditSpec>()(
  v.strictObject({ path: v.optional(v.string()), filePath: v.optional(v.string()), local: v.optional(v.boolean()) }),
);

/** The shape of a VaultConfigurationSpec, checked before its values. */
export const VAULT_CONFIGURATION_SCHEMA = schemaOf<VaultConfigurationSpec>()(
  v.strictObject({
    kvMount: v.optional(v.string()),
    kubernetesAuthMount: v.optional(v.string()),
    kubernetesHost: v.optional(v.string()),
    policies: v.optional(v.array(POLICY_SCHEMA)),
    roles: v.optional(v.array(ROLE_SCHEMA)),
    audit: v.optional(AUDIT_SCHEMA),
    configurationPolicy: v.optional(v.string()),
  }),
);

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MOUNT_PATH = /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\/[a-zA-Z0-9_-]+)*$/;
const DURATION = /^[1-9][0-9]*(s|m|h)$/;
/** A path segment: letters, digits, '-', '_', '.', '@'; or '+', one whole segment of any name. */
const PATH_SEGMENT = /^([A-Za-z0-9_.@-]+|\+)$/;
/** Secrets engines Vault mounts itself: a KV mount cannot take their paths. */
const RESERVED_SECRET_MOUNTS = ["sys", "auth", "cubbyhole", "identity"];
/** KV v2's own endpoints below its mount. */
const KV_V2_ENDPOINTS = ["data", "metadata", "delete", "undelete", "destroy", "subkeys", "config"];
const SERVICE_ACCOUNT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `path` is one Vault's policy parser takes as we write it: segments, `+` segments, an optional final `/` or `*`. */
export function isPolicyPath(path: string): boolean {
  if (path === "*") return true;
  let body = path.endsWith("*") ? path.slice(0, -1) : path;
  if (body.endsWith("/")) body = body.slice(0, -1);
  return body !== "" && body.split("/").every((segment) => PATH_SEGMENT.test(segment));
}

/** Whether a rule's first segment below the KV v2 mount names one of its endpoints (or globs over them). */
function isKvV2Endpoint(segment: string): boolean {
  if (segment === "" || segment === "+") return true;
  if (segment.endsWith("*")) return KV_V2_ENDPOINTS.some((endpoint) => endpoint.startsWith(segment.slice(0, -1)));
  return KV_V2_ENDPOINTS.includes(segment);
}

/**
 * Checks a configuration and records every problem under its field path:
 * names and paths Vault accepts, capabilities from Vault's list, and that
 * every policy a role names exists (declared here, or Vault's `default`).
 */
export function validateVaultConfiguration(spec: VaultConfigurationSpec | undefined, problems: ProblemCollector): void {
  if (!checkStructure(VAULT_CONFIGURATION_SCHEMA, spec ?? {}, problems)) return;
  const config = resolveVaultConfiguration(spec);
  problems.check(
    MOUNT_PATH.test(config.kvMount) && !RESERVED_SECRET_MOUNTS.includes(config.kvMount.split("/")[0]),
    "kvMount",
    "KV mount path is not allowed",
    config.kvMount,
    `use path segments of letters, digits, '-' and '_' without leading or trailing '/', outside Vault's own ${RESERVED_SECRET_MOUNTS.join(", ")}`,
  );
  problems.check(
    MOUNT_PATH.test(config.kubernetesAuthMount) && config.kubernetesAuthMount !== "token",
    "kubernetesAuthMount",
    "auth mount path is not allowed",
    config.kubernetesAuthMount,
    "use path segments of letters, digits, '-' and '_' without leading or trailing '/'; token is Vault's own",
  );
  problems.check(
    isServerUrl(config.kubernetesHost),
    "kubernetesHost",
    "Kubernetes API address is not an https URL",
    config.kubernetesHost,
    "use the in-cluster API server, https://kubernetes.default.svc:443",
  );
  problems.check(
    NAME.test(config.configurationPolicy) && !RESERVED_POLICY_NAMES.includes(config.configurationPolicy),
    "configurationPolicy",
    "policy name is not allowed",
    config.configurationPolicy,
    `use lowercase letters, digits, '-' and '_', not one of Vault's ${RESERVED_POLICY_NAMES.join(", ")}`,
  );
  validatePolicies(config, problems);
  validateRoles(config, problems);
  validateAudit(config.audit, problems.at("audit"));
}

function validatePolicies(config: ResolvedVaultConfiguration, problems: ProblemCollector): void {
  const names = new Set<string>([config.configurationPolicy]);
  config.policies.forEach((policy, index) => {
    const at = problems.at("policies").at(index);
    at.check(
      NAME.test(policy.name) && !RESERVED_POLICY_NAMES.includes(policy.name),
      "name",
      "policy name is not allowed",
      policy.name,
      `use lowercase letters, digits, '-' and '_', not one of Vault's ${RESERVED_POLICY_NAMES.join(", ")}`,
    );
    at.check(
      !names.has(policy.name),
      "name",
      policy.name === config.configurationPolicy ? "policy name is the configuration policy's" : "policy name is used twice",
      policy.name,
      "give every policy its own name; the configuration policy is derived, not declared",
    );
    names.add(policy.name);
    at.check(
      policy.description === undefined || isOneLine(policy.description),
      "description",
      "description is not one line",
      policy.description,
      "write one line without line breaks",
    );
    at.check(policy.rules.length > 0, "rules", "a policy needs at least one rule", policy.rules, "declare { path, capabilities }");
    const paths = new Set<string>();
    policy.rules.forEach((rule, r) => validateRule(rule, config.kvMount, paths, at.at("rules").at(r)));
  });
}

function validateRule(rule: VaultPolicyRule, kvMount: string, paths: Set<string>, problems: ProblemCollector): void {
  if (
    problems.check(
      isPolicyPath(rule.path),
      "path",
      "policy path is not a Vault path",
      rule.path,
      "use segments of letters, digits, '-', '_', '.' or '@' separated by single '/', no leading '/', '+' for one whole segment and '*' only at the end",
    )
  ) {
    const below = rule.path.startsWith(`${kvMount}/`) ? rule.path.slice(kvMount.length + 1) : undefined;
    problems.check(
      below === undefined || isKvV2Endpoint(below.split("/")[0]),
      "path",
      `below the KV v2 mount ${kvMount} a secret is at ${kvMount}/data/<key>: this path matches nothing`,
      rule.path,
      `use ${kvMount}/data/${below} for its value, ${kvMount}/metadata/${below} for its versions and metadata`,
    );
  }
  problems.check(!paths.has(rule.path), "path", "path has two rules in one policy", rule.path, "merge their capabilities into one rule");
  paths.add(rule.path);
  problems.check(
    rule.capabilities.length > 0,
    "capabilities",
    "a rule needs at least one capability",
    rule.capabilities,
    `use some of ${VAULT_CAPABILITIES.join(", ")}`,
  );
  rule.capabilities.forEach((capability, c) => {
    problems.check(
      VAULT_CAPABILITIES.includes(capability),
      `capabilities[${c}]`,
      "not one of Vault's capabilities",
      capability,
      `use one of ${VAULT_CAPABILITIES.join(", ")}`,
    );
  });
  problems.check(
    new Set(rule.capabilities).size === rule.capabilities.length,
    "capabilities",
    "a capability is listed twice",
    rule.capabilities,
    "list each once",
  );
  problems.check(
    !rule.capabilities.includes("deny") || rule.capabilities.length === 1,
    "capabilities",
    "deny overrides every other capability on the path",
    rule.capabilities,
    'use ["deny"] alone, or leave deny out',
  );
  problems.check(
    rule.comment === undefined || isOneLine(rule.comment),
    "comment",
    "comment is not one line",
    rule.comment,
    "write one line without line breaks",
  );
}

function validateRoles(config: ResolvedVaultConfiguration, problems: ProblemCollector): void {
  const policies = new Set<string>([DEFAULT_POLICY, ...declaredPolicies(config).map((policy) => policy.name)]);
  const names = new Set<string>();
  config.roles.forEach((role, index) => {
    const at = problems.at("roles").at(index);
    at.check(NAME.test(role.name), "name", "role name is not allowed", role.name, "use lowercase letters, digits, '-' and '_'");
    at.check(!names.has(role.name), "name", "role name is used twice", role.name, "give every role its own name");
    names.add(role.name);
    at.check(
      role.serviceAccounts.length > 0,
      "serviceAccounts",
      "a role needs at least one service account",
      role.serviceAccounts,
      "name the service accounts that log in with it",
    );
    role.serviceAccounts.forEach((account, a) => {
      at.check(
        account.length <= 253 && SERVICE_ACCOUNT_NAME.test(account),
        `serviceAccounts[${a}]`,
        "service account name is not a Kubernetes name",
        account,
        "use lowercase letters, digits, '-' and '.'; no wildcard: a role binds named service accounts",
      );
    });
    at.check(
      role.namespaces.length > 0,
      "namespaces",
      "a role needs at least one namespace",
      role.namespaces,
      "name the namespaces of its service accounts: a service account name alone is taken in any namespace",
    );
    role.namespaces.forEach((namespace, n) => {
      at.check(
        isDns1123Label(namespace),
        `namespaces[${n}]`,
        "namespace name is not a DNS-1123 label",
        namespace,
        "use at most 63 lowercase letters, digits and '-'; no wildcard: a role binds named namespaces",
      );
    });
    at.check(
      role.policies.length > 0,
      "policies",
      "a role needs at least one policy",
      role.policies,
      `name the policies its tokens get, or "${DEFAULT_POLICY}" for none beyond Vault's default`,
    );
    role.policies.forEach((policy, p) => {
      at.check(
        policies.has(policy),
        `policies[${p}]`,
        "policy is not declared in this configuration",
        policy,
        `declare it under policies, or use one of ${[...policies].join(", ")}`,
      );
    });
    // The maximum defaults to the TTL: a bad TTL is reported once, where it is written.
    for (const field of role.tokenMaxTtl === role.tokenTtl ? (["tokenTtl"] as const) : (["tokenTtl", "tokenMaxTtl"] as const)) {
      at.check(
        DURATION.test(role[field]),
        field,
        "token TTL is not a duration",
        role[field],
        "use seconds, minutes or hours, e.g. 15m or 1h",
      );
    }
    if (DURATION.test(role.tokenTtl) && DURATION.test(role.tokenMaxTtl)) {
      at.check(
        durationSeconds(role.tokenMaxTtl) >= durationSeconds(role.tokenTtl),
        "tokenMaxTtl",
        "the maximum token TTL is below the token TTL",
        role.tokenMaxTtl,
        `use ${role.tokenTtl} or more`,
      );
    }
    at.check(
      role.audience === undefined || (role.audience.trim() !== "" && isOneLine(role.audience)),
      "audience",
      "audience is empty",
      role.audience,
      "set the audience the service account tokens are requested with, or leave it out",
    );
  });
}

function validateAudit(audit: Required<VaultAuditSpec>, problems: ProblemCollector): void {
  problems.check(
    MOUNT_PATH.test(audit.path),
    "path",
    "audit device path is not allowed",
    audit.path,
    "use path segments of letters, digits, '-' and '_', e.g. file",
  );
  const underVolume = audit.filePath.startsWith(`${VAULT_AUDIT_DIRECTORY}/`) && !audit.filePath.split("/").includes("..");
  problems.check(
    audit.filePath === "stdout" || (underVolume && /^[A-Za-z0-9_./-]+$/.test(audit.filePath) && !audit.filePath.endsWith("/")),
    "filePath",
    `Vault can write its audit log only on the audit volume, mounted at ${VAULT_AUDIT_DIRECTORY}`,
    audit.filePath,
    `use a file below ${VAULT_AUDIT_DIRECTORY}/, e.g. ${VAULT_CONFIGURATION_DEFAULTS.audit.filePath}, or stdout`,
  );
}

function isOneLine(text: string): boolean {
  return !/[\r\n]/.test(text);
}
