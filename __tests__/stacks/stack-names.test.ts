import { ENVIRONMENTS } from "../../environments";
import { allStackNames, allStacks, ciStackNames, ciStacks, environmentStacks } from "../../stacks/stack-names";
import { SHIPPED_STACKS } from "../support/shipped-stacks";

describe("stack names", () => {
  test("CI plans the environments with shared state, each Vault stack right after its platform stack; the laptop's stack is not one of them", () => {
    expect(ciStackNames(ENVIRONMENTS)).toEqual(["dev", "dev-vault", "staging", "staging-vault", "production", "production-vault"]);
  });

  test("every environment is a stack, in promotion order", () => {
    expect(allStackNames(ENVIRONMENTS)).toEqual(SHIPPED_STACKS);
  });

  test("an environment switched to local state leaves CI's list, with its Vault stack", () => {
    const [local, dev, ...rest] = ENVIRONMENTS;
    const devLocal = { ...dev, config: { ...dev.config, state: { backend: "local" as const } } };
    expect(ciStackNames([local, devLocal, ...rest])).toEqual(["staging", "staging-vault", "production", "production-vault"]);
  });

  test("an environment without Vault has no Vault stack", () => {
    const dev = ENVIRONMENTS[1];
    const noVault = { ...dev, config: { ...dev.config, services: { ...dev.config.services, vault: { enabled: false } } } };
    expect(environmentStacks(noVault).map((stack) => stack.name)).toEqual(["dev"]);
  });
});

describe("stack entries, as CI reads them", () => {
  test("say each stack's environment and kind; a Vault stack also how CI reaches its Vault", () => {
    const [, dev] = ENVIRONMENTS;
    expect(environmentStacks(dev)).toEqual([
      { name: "dev", environment: "dev", kind: "platform" },
      {
        name: "dev-vault",
        environment: "dev",
        kind: "vault",
        vault: {
          address: "https://127.0.0.1:8200",
          caCertFile: "~/.vault/platform-dev-ca.pem",
          kubeconfigContext: "kubernetes-admin@platform-dev",
          caSecret: { namespace: "vault", name: "vault-tls", key: "ca.crt" },
          portForward: { namespace: "vault", service: "vault-active", port: 8200, localPort: 8200 },
        },
      },
    ]);
  });

  test("a Vault address off the runner gets no port-forward; the local port follows the address", () => {
    const dev = ENVIRONMENTS[1];
    const config = dev.config;
    if (config.target !== "kubernetes" || config.vaultAccess === undefined) throw new Error("dev is a cluster with Vault");
    const access = config.vaultAccess;
    const at = (address: string) => environmentStacks({ ...dev, config: { ...config, vaultAccess: { ...access, address } } })[1].vault;
    expect(at("https://vault.dev.example.com")?.portForward).toBeUndefined();
    expect(at("https://127.0.0.1:18200")?.portForward?.localPort).toBe(18200);
    expect(at("https://localhost")?.portForward?.localPort).toBe(443);
  });

  test("the local stack's entry is a platform stack with nothing to reach", () => {
    expect(allStacks(ENVIRONMENTS)[0]).toEqual({ name: "local", environment: "local", kind: "platform" });
    expect(ciStacks(ENVIRONMENTS).every((stack) => stack.name !== "local")).toBe(true);
  });
});
