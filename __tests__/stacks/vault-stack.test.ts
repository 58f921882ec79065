import { parse } from "yaml";
import { Aspects, Testing } from "cdktf";
import { ConfigurationError } from "../../core/problems";
import { ENVIRONMENTS, KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { PolicyAspect } from "../../policies/aspect";
import { checkPolicies } from "../../policies/report";
import { createVaultStack } from "../../stacks/platform-app";
import { VaultStack } from "../../stacks/vault-stack";
import { secretLiterals } from "../support/secret-literals";
import { resourcesOfType, SynthesizedStack, synthEnvironment, synthVaultStack } from "../support/synth";
import { SHIPPED_STACKS } from "../support/shipped-stacks";

const CLUSTERS = [dev, staging, production];

/** The rules of a rendered policy document: `path "…" { capabilities = […] }`. */
function rulesOf(document: string): Array<{ path: string; capabilities: string[] }> {
  return [...document.matchAll(/^path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]\n\}$/gm)].map((match) => ({
    path: match[1],
    capabilities: JSON.parse(`[${match[2]}]`) as string[],
  }));
}

function policiesByName(stack: SynthesizedStack): Map<string, string> {
  return new Map(Object.values(resourcesOfType(stack, "vault_policy")).map((policy) => [String(policy.name), String(policy.policy)]));
}

describe("the Vault stack of an environment", () => {
  const devVault = synthVaultStack(dev);

  test("is named after its environment and applied after it", () => {
    const stack = createVaultStack(Testing.app(), { file: "environments/dev.ts", config: dev });
    expect(stack?.node.id).toBe("dev-vault");
  });

  test("configures the provider from the environment file: its address and CA, and no token", () => {
    expect(devVault.parsed.provider).toEqual({
      vault: [
        {
          address: "https://127.0.0.1:8200",
          // The provider reads the path as written; Terraform expands ~.
          ca_cert_file: '${pathexpand("~/.vault/platform-dev-ca.pem")}',
          skip_tls_verify: false,
          skip_child_token: false,
        },
      ],
    });
  });

  test("passes a TLS server name on when the environment sets one", () => {
    const config = { ...dev, vaultAccess: { ...dev.vaultAccess!, tlsServerName: "vault-active.vault.svc.cluster.local" } };
    expect(synthVaultStack(config).parsed.provider?.vault[0]).toMatchObject({ tls_server_name: "vault-active.vault.svc.cluster.local" });
  });

  test.each(CLUSTERS.map((config) => [config.name, config] as const))(
    "%s: every Kubernetes auth role's policies exist in the stack (declared, or Vault's default)",
    (_name, config) => {
      const stack = synthVaultStack(config);
      const declared = new Set([...policiesByName(stack).keys(), "default"]);
      const roles = Object.values(resourcesOfType(stack, "vault_kubernetes_auth_backend_role"));
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) {
        const policies = role.token_policies as string[];
        expect(policies.length).toBeGreaterThan(0);
        for (const policy of policies) expect([role.role_name, policy, declared.has(policy)]).toEqual([role.role_name, policy, true]);
      }
    },
  );

  test.each(CLUSTERS.map((config) => [config.name, config] as const))(
    "%s: its state sits beside the platform's, with the same backend settings, under its own key",
    (name, config) => {
      const platform = synthEnvironment(config).parsed.terraform.backend;
      const vault = synthVaultStack(config).parsed.terraform.backend;
      expect(vault).toEqual({ s3: { ...platform.s3, key: `platform/${name}-vault.tfstate` } });
      expect(vault.s3.key).not.toBe(platform.s3.key);
    },
  );

  test("PLATFORM_LOCAL_STATE keeps it in its own local file too", () => {
    expect(synthVaultStack(dev, { forceLocal: true }).parsed.terraform.backend).toEqual({
      local: { path: "../../../terraform.dev-vault.tfstate" },
    });
  });

  test("production keeps its KV mount from destroy; dev does not", () => {
    const mount = (config: KubernetesEnvironmentConfig) => Object.values(resourcesOfType(synthVaultStack(config), "vault_mount"))[0];
    expect(mount(production).lifecycle).toEqual({ prevent_destroy: true });
    expect(mount(dev).lifecycle).toBeUndefined();
  });

  test("the policies are enforced on it, with its environment's tier", () => {
    const app = Testing.app();
    const stack = createVaultStack(app, { file: "environments/dev.ts", config: { ...dev, state: { backend: "local" } } });
    expect(Aspects.of(stack!).all.some((aspect) => aspect instanceof PolicyAspect)).toBe(true);
    // Shared state is required of it as of any cluster stack.
    expect(checkPolicies(app).errors.map((error) => `${error.ruleId} ${error.path}`)).toEqual([
      expect.stringMatching(/^PLAT-STATE-001 dev-vault/),
    ]);
  });
});

describe("no secret in any synthesized stack", () => {
  const stacks = ENVIRONMENTS.flatMap((source) => {
    const config = source.config;
    const own: [string, SynthesizedStack] = [config.name, synthEnvironment(config)];
    return config.target === "kubernetes" ? [own, [`${config.name}-vault`, synthVaultStack(config)] as [string, SynthesizedStack]] : [own];
  });

  test("the app's every stack is checked, the Vault stacks among them", () => {
    expect(stacks.map(([name]) => name)).toEqual(SHIPPED_STACKS);
  });

  test.each(stacks)("%s: no literal secret, no Vault token, no private key", (_name, stack) => {
    expect(secretLiterals(stack.parsed)).toEqual([]);
    // Vault tokens (service hvs., batch hvb., recovery hvr., legacy s.) and PEM private keys.
    expect(stack.json).not.toMatch(/\b(hv[sbr]\.[A-Za-z0-9_-]{20,}|s\.[A-Za-z0-9]{24})\b/);
    expect(stack.json).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });

  test.each(stacks.filter(([name]) => name.endsWith("-vault")))(
    "%s: no field that carries a credential (token, reviewer JWT, login, client certificate)",
    (_name, stack) => {
      const keys = new Set<string>();
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value !== null && typeof value === "object") {
          for (const [key, inner] of Object.entries(value)) {
            keys.add(key);
            walk(inner);
          }
        }
      };
      walk(stack.parsed);
      const credentials = [...keys].filter((key) =>
        /^(token|token_reviewer_jwt|auth_login.*|client_auth|headers|kubernetes_ca_cert|pem_keys)$/.test(key),
      );
      expect(credentials).toEqual([]);
    },
  );
});

describe("External Secrets and Vault agree", () => {
  // The contract, read from both stacks: what the dev platform stack's ClusterSecretStore and ExternalSecrets
  // ask of Vault is exactly what the dev-vault stack declares.
  const platform = synthEnvironment(dev);
  const vault = synthVaultStack(dev);
  const manifests = Object.values(resourcesOfType(platform, "helm_release")).flatMap((release) => {
    const values = parse((release.values as string[] | undefined)?.[0] ?? "{}") as { manifests?: Array<Record<string, any>> } | null;
    return values?.manifests ?? [];
  });
  const store = manifests.find((manifest) => manifest.kind === "ClusterSecretStore");
  const vaultStore = store?.spec.provider.vault;
  const externalSecrets = manifests.filter(
    (manifest) =>
      manifest.kind === "ExternalSecret" &&
      manifest.spec.secretStoreRef?.kind === "ClusterSecretStore" &&
      manifest.spec.secretStoreRef?.name === store?.metadata.name,
  );

  test("the store's KV v2 mount and auth mount exist", () => {
    expect(vaultStore).toMatchObject({ version: "v2" });
    expect(Object.values(resourcesOfType(vault, "vault_mount"))).toEqual([
      expect.objectContaining({ path: vaultStore.path, type: "kv", options: { version: "2" } }),
    ]);
    expect(Object.values(resourcesOfType(vault, "vault_auth_backend"))).toEqual([
      expect.objectContaining({ path: vaultStore.auth.kubernetes.mountPath, type: "kubernetes" }),
    ]);
  });

  test("the store's role is bound to the service account it logs in with", () => {
    const { role, mountPath, serviceAccountRef } = vaultStore.auth.kubernetes;
    const roles = Object.values(resourcesOfType(vault, "vault_kubernetes_auth_backend_role")).filter(
      (candidate) => candidate.role_name === role,
    );
    expect(roles).toEqual([
      expect.objectContaining({
        backend: mountPath,
        bound_service_account_names: [serviceAccountRef.name],
        bound_service_account_namespaces: [serviceAccountRef.namespace],
      }),
    ]);
  });

  test("its policies read exactly the keys the platform's ExternalSecrets name, their value only", () => {
    // The policy grants data/ only: no ExternalSecret on the store fetches metadata or lists.
    for (const externalSecret of externalSecrets) {
      expect(externalSecret.spec.dataFrom).toBeUndefined();
      for (const entry of externalSecret.spec.data) expect(entry.remoteRef.metadataPolicy ?? "None").toBe("None");
    }
    const keys = new Set(
      externalSecrets.flatMap((externalSecret) => externalSecret.spec.data.map((entry: any) => entry.remoteRef.key as string)),
    );
    expect([...keys]).toEqual(["postgres/backup-s3"]);

    const role = Object.values(resourcesOfType(vault, "vault_kubernetes_auth_backend_role")).find(
      (candidate) => candidate.role_name === vaultStore.auth.kubernetes.role,
    );
    const documents = policiesByName(vault);
    const rules = (role?.token_policies as string[]).flatMap((name) => (name === "default" ? [] : rulesOf(documents.get(name) ?? "")));
    expect(rules).toEqual([...keys].map((key) => ({ path: `${vaultStore.path}/data/${key}`, capabilities: ["read"] })));
  });
});

describe("the Vault stack refuses to be built without what it needs", () => {
  const build = (config: KubernetesEnvironmentConfig) => () => new VaultStack(Testing.app(), { environment: config });

  test("fails when the environment says nothing of how to reach Vault, naming the file", () => {
    expect(build({ ...dev, vaultAccess: undefined })).toThrow(ConfigurationError);
    expect(build({ ...dev, vaultAccess: undefined })).toThrow(
      "environments/dev.ts: vaultAccess: Vault's configuration stack dev-vault needs Vault's address and CA (got nothing; set vaultAccess: vaultThroughPortForward(\"dev\") from environments/shared.ts, or { address, caCertFile })",
    );
  });

  test("fails when Vault's address or CA is missing", () => {
    const missingCa = { ...dev, vaultAccess: { address: "https://127.0.0.1:8200" } } as unknown as KubernetesEnvironmentConfig;
    expect(build(missingCa)).toThrow("environments/dev.ts: vaultAccess.caCertFile: is required but missing (got nothing; set caCertFile)");
    expect(build({ ...dev, vaultAccess: { address: "", caCertFile: "~/.vault/platform-dev-ca.pem" } })).toThrow(
      'environments/dev.ts: vaultAccess.address: Vault address is missing (got "";',
    );
  });

  test("fails when the environment does not run Vault", () => {
    expect(build({ ...dev, services: { ...dev.services, vault: { enabled: false } } })).toThrow(
      "environments/dev.ts: services.vault.enabled: the environment does not run Vault, so there is no Vault to configure (got false; enable Vault, or do not build a Vault stack for this environment)",
    );
    expect(
      createVaultStack(Testing.app(), { file: "environments/dev.ts", config: { ...dev, services: { vault: { enabled: false } } } }),
    ).toBe(undefined);
  });
});
