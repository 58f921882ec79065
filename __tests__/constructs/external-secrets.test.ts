import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { ExternalSecrets } from "../../constructs/external-secrets/kubernetes";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { resolveExternalSecrets } from "../../constructs/external-secrets/spec";
import { problemsOf } from "../support/environments";
import { helmRelease, releaseManifests, releaseValues, synthEnvironment } from "../support/synth";

describe("External Secrets", () => {
  const prod = synthEnvironment(production);

  test("defaults: platform KV mount, kubernetes auth, external-secrets role, 2 replicas in production", () => {
    expect(resolveExternalSecrets(undefined, { tier: "production", target: "kubernetes" })).toEqual({
      vaultMount: "platform",
      vaultAuthMount: "kubernetes",
      vaultRole: "external-secrets",
      replicas: 2,
      refreshInterval: "1h",
      values: {},
    });
    expect(resolveExternalSecrets(undefined, { tier: "staging", target: "kubernetes" }).replicas).toBe(1);
  });

  test("fails when a Vault mount or role is malformed", () => {
    const config = { ...staging, services: { ...staging.services, externalSecrets: { vaultMount: "/platform/", vaultRole: "Ops Team" } } };
    expect(problemsOf(config)).toEqual([
      expect.stringContaining('services.externalSecrets.vaultMount: Vault mount path is not allowed (got "/platform/";'),
      expect.stringContaining('services.externalSecrets.vaultRole: Vault role name is not allowed (got "Ops Team";'),
    ]);
  });

  test("the operator chart is pinned and replicated with leader election in production", () => {
    expect(helmRelease(prod, "external-secrets")).toMatchObject({
      repository: "https://charts.external-secrets.io",
      chart: "external-secrets",
      version: "2.9.0",
    });
    expect(releaseValues(prod, "external-secrets")).toMatchObject({
      installCRDs: true,
      replicaCount: 2,
      leaderElect: true,
      podDisruptionBudget: { enabled: true },
      global: { nodeSelector: { "platform/pool": "system" } },
    });
  });

  test("a ClusterSecretStore reads Vault KV v2 over https, verified with Vault's CA, with Kubernetes auth, after the operator", () => {
    const [store] = releaseManifests(prod, "vault-secret-store");
    expect(store).toEqual({
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: "vault" },
      spec: {
        provider: {
          vault: {
            server: "https://vault-active.vault.svc.cluster.local:8200",
            caProvider: { type: "Secret", name: "vault-tls", key: "ca.crt", namespace: "vault" },
            path: "platform",
            version: "v2",
            auth: {
              kubernetes: {
                mountPath: "kubernetes",
                role: "external-secrets",
                serviceAccountRef: { name: "external-secrets", namespace: "external-secrets" },
              },
            },
          },
        },
      },
    });
    expect(String(helmRelease(prod, "vault-secret-store").depends_on)).toMatch(/helm_release\.external-secrets_release_/);
  });

  test("the store verifies the very Secret Vault's listener serves, in Vault's namespace", () => {
    const [store] = releaseManifests(prod, "vault-secret-store");
    const [certificate] = releaseManifests(prod, "vault-certificate");
    expect(store.spec.provider.vault.caProvider).toMatchObject({
      name: certificate.spec.secretName,
      namespace: certificate.metadata.namespace,
    });
  });

  test("fails when the Vault it reads is not served over https", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    const vault = { address: "http://vault.vault.svc.cluster.local:8200", namespaceName: "vault", port: 8200 };
    expect(() => new ExternalSecrets(stack, "eso", { vault })).toThrow(
      'bare/eso: vault.address: the ClusterSecretStore would send Vault tokens in clear text (got "http://vault.vault.svc.cluster.local:8200"; serve Vault over TLS and give its https:// address; the Vault construct does)',
    );
  });

  test("a Vault with a publicly trusted certificate needs no CA: the store then uses the system roots", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new ExternalSecrets(stack, "eso", { vault: { address: "https://vault.example.com", namespaceName: "vault", port: 443 } });
    const json = JSON.parse(Testing.synth(stack));
    const store = Object.values(json.resource.helm_release as Record<string, any>).find((release) => release.name === "vault-secret-store");
    expect(parse(store.values[0]).manifests[0].spec.provider.vault.caProvider).toBeUndefined();
  });
});
