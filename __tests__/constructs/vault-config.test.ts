import { Testing, TerraformStack } from "cdktf";
import { ConfigurationError, formatProblem, ProblemCollector } from "../../core/problems";
import { VaultConfiguration } from "../../constructs/vault-config/configuration";
import {
  configurationPolicy,
  durationSeconds,
  isPolicyPath,
  renderPolicy,
  resolveVaultConfiguration,
  validateVaultConfiguration,
  VaultConfigurationSpec,
  VaultPolicySpec,
} from "../../constructs/vault-config/spec";

/** A configuration with one consumer, as a team would declare it. */
const TEAM: VaultConfigurationSpec = {
  policies: [{ name: "team-a", rules: [{ path: "platform/data/team-a/*", capabilities: ["read"] }] }],
  roles: [{ name: "team-a", serviceAccounts: ["app"], namespaces: ["team-a"], policies: ["team-a"] }],
};

function problemsOf(spec: unknown): string[] {
  const problems = new ProblemCollector();
  validateVaultConfiguration(spec as VaultConfigurationSpec, problems);
  return problems.problems.map((problem) => formatProblem("spec", problem));
}

function synth(spec?: VaultConfigurationSpec, preventDestroy?: boolean): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, "alone");
  new VaultConfiguration(stack, "configuration", { spec, preventDestroy });
  return JSON.parse(Testing.synth(stack));
}

const only = (json: any, type: string): Record<string, any> => {
  const resources = Object.values(json.resource?.[type] ?? {}) as Record<string, any>[];
  expect(resources).toHaveLength(1);
  return resources[0];
};

describe("Vault configuration: defaults", () => {
  test("the platform mount, Kubernetes auth in the cluster, the audit file, the configuration policy, no role", () => {
    expect(resolveVaultConfiguration(undefined)).toEqual({
      kvMount: "platform",
      kubernetesAuthMount: "kubernetes",
      kubernetesHost: "https://kubernetes.default.svc:443",
      policies: [],
      roles: [],
      audit: { path: "file", filePath: "/vault/audit/audit.log", local: false },
      configurationPolicy: "platform-configuration",
    });
  });

  test("a role's tokens last 15 minutes and are not renewed past that unless it says so", () => {
    const [role] = resolveVaultConfiguration(TEAM).roles;
    expect(role).toMatchObject({ tokenTtl: "15m", tokenMaxTtl: "15m" });
    expect(resolveVaultConfiguration({ ...TEAM, roles: [{ ...TEAM.roles![0], tokenTtl: "1h" }] }).roles[0].tokenMaxTtl).toBe("1h");
    expect([durationSeconds("15m"), durationSeconds("1h"), durationSeconds("30s")]).toEqual([900, 3600, 30]);
  });
});

describe("Vault configuration: resources", () => {
  const json = synth(TEAM, true);

  test("a KV v2 mount, kept from destroy when asked", () => {
    expect(only(json, "vault_mount")).toMatchObject({
      path: "platform",
      type: "kv",
      options: { version: "2" },
      lifecycle: { prevent_destroy: true },
    });
    expect(only(synth(TEAM), "vault_mount").lifecycle).toBeUndefined();
  });

  test("Kubernetes auth reviews tokens with Vault's own service account: no reviewer JWT, no CA, local CA and JWT on", () => {
    expect(only(json, "vault_auth_backend")).toMatchObject({ type: "kubernetes", path: "kubernetes" });
    const config = only(json, "vault_kubernetes_auth_backend_config");
    expect(config).toMatchObject({
      backend: "kubernetes",
      kubernetes_host: "https://kubernetes.default.svc:443",
      disable_local_ca_jwt: false,
      // Provider 5.6.0 would send false when it is left out.
      disable_iss_validation: true,
    });
    for (const field of ["token_reviewer_jwt", "kubernetes_ca_cert", "pem_keys", "issuer"]) expect(config).not.toHaveProperty(field);
  });

  test("one policy per declared consumer and the configuration policy, each rendered as HCL", () => {
    const policies = Object.values(json.resource.vault_policy) as Record<string, any>[];
    expect(policies.map((policy) => policy.name).sort()).toEqual(["platform-configuration", "team-a"]);
    expect(policies.find((policy) => policy.name === "team-a")?.policy).toBe(
      'path "platform/data/team-a/*" {\n  capabilities = ["read"]\n}\n',
    );
  });

  test("a role binds named service accounts in named namespaces to its policies, with a token TTL, after them", () => {
    const role = only(json, "vault_kubernetes_auth_backend_role");
    expect(role).toMatchObject({
      backend: "kubernetes",
      role_name: "team-a",
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: ["team-a"],
      token_policies: ["team-a"],
      token_ttl: 900,
      token_max_ttl: 900,
    });
    expect(role).not.toHaveProperty("audience");
    expect(role.depends_on).toEqual([
      expect.stringMatching(/^vault_kubernetes_auth_backend_config\./),
      expect.stringMatching(/^vault_policy\.configuration_policy-team-a_/),
    ]);
  });

  test("the audit device writes a file on the audit volume, replicated (local false)", () => {
    expect(only(json, "vault_audit")).toMatchObject({
      type: "file",
      path: "file",
      local: false,
      options: { file_path: "/vault/audit/audit.log" },
    });
  });

  test("resource ids follow names, so adding a policy or role leaves the others in place", () => {
    const withMore = synth({
      ...TEAM,
      policies: [{ name: "team-b", rules: [{ path: "platform/data/team-b/*", capabilities: ["read"] }] }, ...TEAM.policies!],
    });
    const id = (stack: any) => Object.keys(stack.resource.vault_policy).find((key) => key.includes("policy-team-a_"));
    expect(id(withMore)).toBe(id(json));
  });

  test("works alone in a bare stack at its defaults", () => {
    const alone = synth();
    expect(Object.keys(alone.resource).sort()).toEqual([
      "vault_audit",
      "vault_auth_backend",
      "vault_kubernetes_auth_backend_config",
      "vault_mount",
      "vault_policy",
    ]);
  });
});

describe("the configuration policy", () => {
  const config = resolveVaultConfiguration(TEAM);
  const policy = configurationPolicy(config);

  /** Vault's ACL match, enough for these rules: an exact path, a `*` prefix glob or `+` segments; the most specific rule wins. */
  function allowed(rules: VaultPolicySpec["rules"], path: string, capability: string): boolean {
    const matching = rules.filter((rule) => {
      const glob = rule.path.endsWith("*");
      const pattern = (glob ? rule.path.slice(0, -1) : rule.path).split("/");
      const parts = path.split("/");
      if (!glob && pattern.length !== parts.length) return false;
      return pattern.every((segment, i) =>
        i === pattern.length - 1 && glob ? (parts[i] ?? "").startsWith(segment) : segment === "+" || segment === parts[i],
      );
    });
    const best = matching.sort((a, b) => Number(a.path.endsWith("*")) - Number(b.path.endsWith("*")) || b.path.length - a.path.length)[0];
    return best !== undefined && !best.capabilities.includes("deny") && (best.capabilities as string[]).includes(capability);
  }

  /**
   * Every call provider 5.6.0 makes for the declared resources (internal/provider/meta.go, vault/resource_*.go),
   * with the capabilities Vault checks; sys/auth/* and sys/audit* are root paths (sudo).
   */
  const CALLS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ["the provider's child token", "auth/token/create", ["update"]],
    ["create the KV mount", "sys/mounts/platform", ["create", "update"]],
    ["read the KV mount", "sys/mounts/platform", ["read"]],
    ["tune the KV mount", "sys/mounts/platform/tune", ["update"]],
    ["enable Kubernetes auth", "sys/auth/kubernetes", ["create", "update", "sudo"]],
    ["read Kubernetes auth", "sys/auth/kubernetes", ["read", "sudo"]],
    ["read its tuning", "sys/mounts/auth/kubernetes/tune", ["read"]],
    ["tune it", "sys/mounts/auth/kubernetes/tune", ["update"]],
    ["write its config", "auth/kubernetes/config", ["create", "update", "read"]],
    ["write, read and remove a role", "auth/kubernetes/role/team-a", ["create", "update", "read", "delete"]],
    ["write, read and remove a policy", "sys/policies/acl/team-a", ["create", "update", "read", "delete"]],
    ["its own policy", "sys/policies/acl/platform-configuration", ["update", "read"]],
    ["list the audit devices", "sys/audit", ["read", "sudo"]],
    ["enable the audit device", "sys/audit/file", ["create", "update", "sudo"]],
  ];

  test.each(CALLS)("allows what the provider needs to %s (%s)", (_what, path, capabilities) => {
    for (const capability of capabilities)
      expect([path, capability, allowed(policy.rules, path, capability)]).toEqual([path, capability, true]);
  });

  test.each([
    ["the KV mount (its secrets would go)", "sys/mounts/platform"],
    ["Kubernetes auth (every token it issued would be revoked)", "sys/auth/kubernetes"],
    ["the audit device", "sys/audit/file"],
  ])("never deletes %s", (_what, path) => {
    expect(allowed(policy.rules, path, "delete")).toBe(false);
  });

  test("reads no secret and touches no other mount", () => {
    expect(allowed(policy.rules, "platform/data/postgres/backup-s3", "read")).toBe(false);
    expect(allowed(policy.rules, "sys/mounts/other", "create")).toBe(false);
    expect(allowed(policy.rules, "sys/auth/userpass", "update")).toBe(false);
  });

  test("follows the declared mounts", () => {
    const moved = configurationPolicy(
      resolveVaultConfiguration({ kvMount: "secrets", kubernetesAuthMount: "k8s", audit: { path: "audit-file" } }),
    );
    expect(allowed(moved.rules, "sys/mounts/secrets", "create")).toBe(true);
    expect(allowed(moved.rules, "auth/k8s/role/x", "update")).toBe(true);
    expect(allowed(moved.rules, "sys/audit/audit-file", "update")).toBe(true);
    expect(allowed(moved.rules, "sys/mounts/platform", "create")).toBe(false);
  });

  test("is valid by the configuration's own rules", () => {
    expect(problemsOf({ policies: [{ ...policy, name: "copy" }] })).toEqual([]);
  });
});

describe("rendered policies", () => {
  test("a description, then each rule with its comment, in the order declared", () => {
    expect(
      renderPolicy({
        name: "x",
        description: "What it is for",
        rules: [
          { path: "platform/data/a", capabilities: ["read"], comment: "Why" },
          { path: "platform/metadata/a", capabilities: ["read", "list"] },
        ],
      }),
    ).toBe(
      [
        "# What it is for",
        "",
        "# Why",
        'path "platform/data/a" {',
        '  capabilities = ["read"]',
        "}",
        "",
        'path "platform/metadata/a" {',
        '  capabilities = ["read", "list"]',
        "}",
        "",
      ].join("\n"),
    );
  });
});

describe("Vault configuration: validation", () => {
  test("accepts the documented shape", () => {
    expect(problemsOf(TEAM)).toEqual([]);
    expect(problemsOf(undefined)).toEqual([]);
  });

  test("fails when a role names a policy that is declared nowhere", () => {
    expect(problemsOf({ ...TEAM, roles: [{ ...TEAM.roles![0], policies: ["team-a", "team-b"] }] })).toEqual([
      'spec: roles[0].policies[1]: policy is not declared in this configuration (got "team-b"; declare it under policies, or use one of default, team-a, platform-configuration)',
    ]);
  });

  test("a role may name Vault's default policy, or the configuration policy", () => {
    expect(problemsOf({ roles: [{ ...TEAM.roles![0], policies: ["default", "platform-configuration"] }] })).toEqual([]);
  });

  test("fails when a role binds no service account, no namespace or no policy, or uses a wildcard", () => {
    expect(problemsOf({ ...TEAM, roles: [{ name: "r", serviceAccounts: [], namespaces: [], policies: [] }] })).toEqual([
      "spec: roles[0].serviceAccounts: a role needs at least one service account (got []; name the service accounts that log in with it)",
      "spec: roles[0].namespaces: a role needs at least one namespace (got []; name the namespaces of its service accounts: a service account name alone is taken in any namespace)",
      'spec: roles[0].policies: a role needs at least one policy (got []; name the policies its tokens get, or "default" for none beyond Vault\'s default)',
    ]);
    expect(problemsOf({ ...TEAM, roles: [{ ...TEAM.roles![0], serviceAccounts: ["*"], namespaces: ["*"] }] })).toEqual([
      expect.stringContaining('spec: roles[0].serviceAccounts[0]: service account name is not a Kubernetes name (got "*";'),
      expect.stringContaining('spec: roles[0].namespaces[0]: namespace name is not a DNS-1123 label (got "*";'),
    ]);
  });

  test("fails when a token TTL is not a duration, or the maximum is below it", () => {
    expect(problemsOf({ ...TEAM, roles: [{ ...TEAM.roles![0], tokenTtl: "1d" }] })).toEqual([
      'spec: roles[0].tokenTtl: token TTL is not a duration (got "1d"; use seconds, minutes or hours, e.g. 15m or 1h)',
    ]);
    expect(problemsOf({ ...TEAM, roles: [{ ...TEAM.roles![0], tokenTtl: "1h", tokenMaxTtl: "30m" }] })).toEqual([
      'spec: roles[0].tokenMaxTtl: the maximum token TTL is below the token TTL (got "30m"; use 1h or more)',
    ]);
  });

  test("fails when a name is used twice, or a policy takes a built-in's or the configuration policy's name", () => {
    const rules = TEAM.policies![0].rules;
    expect(
      problemsOf({
        policies: [
          { name: "default", rules },
          { name: "Team A", rules },
          { name: "dup", rules },
          { name: "dup", rules },
          { name: "platform-configuration", rules },
        ],
        roles: [TEAM.roles![0], TEAM.roles![0]].map((role) => ({ ...role, policies: ["dup"] })),
      }),
    ).toEqual([
      "spec: policies[0].name: policy name is not allowed (got \"default\"; use lowercase letters, digits, '-' and '_', not one of Vault's root, default, response-wrapping)",
      "spec: policies[1].name: policy name is not allowed (got \"Team A\"; use lowercase letters, digits, '-' and '_', not one of Vault's root, default, response-wrapping)",
      'spec: policies[3].name: policy name is used twice (got "dup"; give every policy its own name; the configuration policy is derived, not declared)',
      'spec: policies[4].name: policy name is the configuration policy\'s (got "platform-configuration"; give every policy its own name; the configuration policy is derived, not declared)',
      'spec: roles[1].name: role name is used twice (got "team-a"; give every role its own name)',
    ]);
  });

  test("fails when a capability is not one of Vault's, is listed twice, or deny comes with others", () => {
    const policy = (capabilities: string[]) => ({ policies: [{ name: "p", rules: [{ path: "sys/health", capabilities }] }] });
    expect(problemsOf(policy(["read", "write"]))).toEqual([
      'spec: policies[0].rules[0].capabilities[1]: not one of Vault\'s capabilities (got "write"; use one of create, read, update, patch, delete, list, sudo, deny, subscribe)',
    ]);
    expect(problemsOf(policy(["read", "read"]))).toEqual([
      'spec: policies[0].rules[0].capabilities: a capability is listed twice (got ["read","read"]; list each once)',
    ]);
    expect(problemsOf(policy(["deny", "read"]))).toEqual([
      'spec: policies[0].rules[0].capabilities: deny overrides every other capability on the path (got ["deny","read"]; use ["deny"] alone, or leave deny out)',
    ]);
    expect(problemsOf(policy([]))).toEqual([
      "spec: policies[0].rules[0].capabilities: a rule needs at least one capability (got []; use some of create, read, update, patch, delete, list, sudo, deny, subscribe)",
    ]);
  });

  test("fails when a policy has no rule, or a path twice", () => {
    expect(problemsOf({ policies: [{ name: "p", rules: [] }] })).toEqual([
      "spec: policies[0].rules: a policy needs at least one rule (got []; declare { path, capabilities })",
    ]);
    const rule = { path: "sys/health", capabilities: ["read"] };
    expect(problemsOf({ policies: [{ name: "p", rules: [rule, rule] }] })).toEqual([
      'spec: policies[0].rules[1].path: path has two rules in one policy (got "sys/health"; merge their capabilities into one rule)',
    ]);
  });

  test("fails when a policy path is not a Vault path", () => {
    const pathProblems = (path: string) => problemsOf({ policies: [{ name: "p", rules: [{ path, capabilities: ["read"] }] }] });
    for (const path of ["/sys/health", "sys//health", "platform/*/x", 'sys/health" { } path "*', "sys/${x}", "platform data"]) {
      expect(pathProblems(path)).toEqual([
        expect.stringContaining(`spec: policies[0].rules[0].path: policy path is not a Vault path (got ${JSON.stringify(path)};`),
      ]);
    }
    for (const path of ["sys/health", "platform/data/team-a/*", "platform/metadata/", "auth/+/role/x", "platform/data/team-*", "*"]) {
      expect([path, isPolicyPath(path)]).toEqual([path, true]);
    }
  });

  test("fails when a path below the KV v2 mount forgets data/ (or metadata/)", () => {
    expect(problemsOf({ policies: [{ name: "p", rules: [{ path: "platform/postgres/backup-s3", capabilities: ["read"] }] }] })).toEqual([
      'spec: policies[0].rules[0].path: below the KV v2 mount platform a secret is at platform/data/<key>: this path matches nothing (got "platform/postgres/backup-s3"; use platform/data/postgres/backup-s3 for its value, platform/metadata/postgres/backup-s3 for its versions and metadata)',
    ]);
    for (const path of ["platform/data/x", "platform/metadata/x", "platform/+/x", "platform/*", "platform/d*"]) {
      expect(problemsOf({ policies: [{ name: "p", rules: [{ path, capabilities: ["read"] }] }] })).toEqual([]);
    }
  });

  test("fails when a mount path is reserved or malformed, or the API server is not https", () => {
    expect(problemsOf({ kvMount: "sys", kubernetesAuthMount: "/k8s/", kubernetesHost: "http://kubernetes.default.svc" })).toEqual([
      expect.stringContaining('spec: kvMount: KV mount path is not allowed (got "sys";'),
      expect.stringContaining('spec: kubernetesAuthMount: auth mount path is not allowed (got "/k8s/";'),
      'spec: kubernetesHost: Kubernetes API address is not an https URL (got "http://kubernetes.default.svc"; use the in-cluster API server, https://kubernetes.default.svc:443)',
    ]);
  });

  test("fails when the audit log is not on the audit volume", () => {
    for (const filePath of ["/var/log/vault.log", "/vault/audit/../data/x", "/vault/audit/", "audit.log"]) {
      expect(problemsOf({ audit: { filePath } })).toEqual([
        `spec: audit.filePath: Vault can write its audit log only on the audit volume, mounted at /vault/audit (got ${JSON.stringify(filePath)}; use a file below /vault/audit/, e.g. /vault/audit/audit.log, or stdout)`,
      ]);
    }
    expect(problemsOf({ audit: { filePath: "stdout" } })).toEqual([]);
  });

  test("fails when a description or comment spans lines (it would end the comment in the HCL)", () => {
    expect(
      problemsOf({
        policies: [{ name: "p", description: "a\npath", rules: [{ path: "sys/health", capabilities: ["read"], comment: "b\nc" }] }],
      }),
    ).toEqual([
      'spec: policies[0].description: description is not one line (got "a\\npath"; write one line without line breaks)',
      'spec: policies[0].rules[0].comment: comment is not one line (got "b\\nc"; write one line without line breaks)',
    ]);
  });

  test("fails on the shape first: a misspelled field, a policy list that is not one", () => {
    expect(problemsOf({ polices: [], roles: {} })).toEqual([
      "spec: roles: is not a list (got {}; write a list: [ … ])",
      expect.stringContaining("spec: polices: is not a field here (got []; remove it, or did you mean policies?"),
    ]);
  });

  test("the construct refuses invalid props before creating anything, naming its path", () => {
    const build = () =>
      new VaultConfiguration(new TerraformStack(Testing.app(), "alone"), "configuration", {
        spec: { roles: [{ ...TEAM.roles![0], policies: ["nope"] }] },
      });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow('alone/configuration: spec.roles[0].policies[0]: policy is not declared in this configuration (got "nope";');
  });
});
