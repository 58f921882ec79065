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

  test("a ClusterSecretStore reads Vault KV v2 with Kubernetes auth, after the operator", () => {
    const [store] = releaseManifests(prod, "vault-secret-store");
    expect(store).toEqual({
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: { name: "vault" },
      spec: {
        provider: {
          vault: {
            server: "http://vault-active.vault.svc.cluster.local:8200",
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
});
