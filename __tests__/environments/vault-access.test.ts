import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { VAULT_PORT_FORWARD_ADDRESS, vaultThroughPortForward } from "../../environments/shared";
import { staging } from "../../environments/staging";
import { KubernetesEnvironmentConfig } from "../../environments/types";
import { assertValidEnvironments } from "../../environments/validate";
import { problemsOf } from "../support/environments";

/** dev with its vaultAccess replaced (undefined: removed). */
function devWithAccess(vaultAccess: unknown): KubernetesEnvironmentConfig {
  return { ...dev, vaultAccess: vaultAccess as KubernetesEnvironmentConfig["vaultAccess"] };
}

describe("vaultAccess: where the Vault stack reaches Vault", () => {
  test("the shipped clusters reach their Vault through a port-forward, trusting their own CA file", () => {
    expect(vaultThroughPortForward("dev")).toEqual({ address: "https://127.0.0.1:8200", caCertFile: "~/.vault/platform-dev-ca.pem" });
    expect(VAULT_PORT_FORWARD_ADDRESS).toBe("https://127.0.0.1:8200");
    for (const config of [dev, staging, production]) expect(config.vaultAccess).toEqual(vaultThroughPortForward(config.name));
  });

  test("fails when the environment runs Vault and says nothing of how to reach it", () => {
    expect(problemsOf(devWithAccess(undefined))).toEqual([
      "environments/dev.ts: vaultAccess: Vault's configuration stack dev-vault needs Vault's address and CA (got nothing; set vaultAccess: vaultThroughPortForward(\"dev\") from environments/shared.ts, or { address, caCertFile })",
    ]);
  });

  test("is not needed without Vault", () => {
    expect(problemsOf({ ...devWithAccess(undefined), services: { ...dev.services, vault: { enabled: false } }, teams: [] })).toEqual(
      // PostgreSQL's backups need Vault: the only problem is that one.
      [expect.stringContaining("environments/dev.ts: services.vault.enabled: PostgreSQL needs Vault")],
    );
  });

  test("fails when the address or the CA file is missing", () => {
    expect(problemsOf(devWithAccess({ caCertFile: "~/.vault/platform-dev-ca.pem" }))).toEqual([
      "environments/dev.ts: vaultAccess.address: is required but missing (got nothing; set address)",
    ]);
    expect(problemsOf(devWithAccess({ address: "https://127.0.0.1:8200" }))).toEqual([
      "environments/dev.ts: vaultAccess.caCertFile: is required but missing (got nothing; set caCertFile)",
    ]);
    expect(problemsOf(devWithAccess({ address: " ", caCertFile: "" }))).toEqual([
      'environments/dev.ts: vaultAccess.address: Vault address is missing (got " "; set Vault\'s API URL as Terraform reaches it, e.g. https://127.0.0.1:8200 through kubectl port-forward)',
      'environments/dev.ts: vaultAccess.caCertFile: Vault CA file is missing (got ""; set the PEM file of the CA that signed Vault\'s certificate, e.g. ~/.vault/platform-dev-ca.pem)',
    ]);
  });

  test.each([["http://127.0.0.1:8200"], ["https://127.0.0.1:8200/v1"], ["https://root:hunter2@vault.example.com"], ["127.0.0.1:8200"]])(
    "fails when the address is %s",
    (address) => {
      expect(problemsOf(devWithAccess({ ...dev.vaultAccess, address }))).toEqual([
        `environments/dev.ts: vaultAccess.address: Vault address is not an https URL without path or credentials (got ${JSON.stringify(address)}; use e.g. https://127.0.0.1:8200; the Vault provider sends a token, so http is refused)`,
      ]);
    },
  );

  test.each([["vault-ca.pem"], ["./ca.pem"], ["~/.vault/"], ["~/my ca.pem"], ["${HOME}/ca.pem"]])(
    "fails when the CA file is %s",
    (caCertFile) => {
      expect(problemsOf(devWithAccess({ ...dev.vaultAccess, caCertFile }))).toEqual([
        `environments/dev.ts: vaultAccess.caCertFile: Vault CA file is not an absolute or ~/ path to a file (got ${JSON.stringify(caCertFile)}; use /… or ~/… without spaces, quotes or $: Terraform runs in cdktf.out/stacks/<stack>, where a relative path would mean another file)`,
      ]);
    },
  );

  test("fails when the TLS server name is not a DNS name", () => {
    expect(problemsOf(devWithAccess({ ...dev.vaultAccess, tlsServerName: "vault active" }))).toEqual([
      'environments/dev.ts: vaultAccess.tlsServerName: TLS server name is not a DNS name (got "vault active"; use a name Vault\'s certificate holds, e.g. vault-active.vault.svc.cluster.local, or leave it out)',
    ]);
    expect(problemsOf(devWithAccess({ ...dev.vaultAccess, tlsServerName: "vault-active.vault.svc.cluster.local" }))).toEqual([]);
  });

  test("fails when a token is written into it: it is not a field", () => {
    expect(problemsOf(devWithAccess({ ...dev.vaultAccess, token: "s.abc" }))).toEqual([
      expect.stringContaining('environments/dev.ts: vaultAccess.token: is not a field here (got "s.abc"; remove it'),
    ]);
  });

  test("fails when an environment takes the name of another environment's Vault stack", () => {
    const clash = { ...staging, name: "dev-vault", vaultAccess: vaultThroughPortForward("dev-vault") };
    expect(() =>
      assertValidEnvironments([
        { file: "environments/dev.ts", config: dev },
        { file: "environments/dev-vault.ts", config: clash },
      ]),
    ).toThrow(
      'environments/dev-vault.ts: name: environment name is the name of the Vault configuration stack of environments/dev.ts (got "dev-vault"; rename this environment: every stack needs a unique name, and dev\'s Vault stack is dev-vault)',
    );
  });
});
