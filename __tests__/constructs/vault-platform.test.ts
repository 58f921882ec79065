import { ServiceContext } from "../../core/service-context";
import { PlatformServicesConfig, vaultSecretReferences } from "../../constructs/services";
import { platformVaultConfiguration } from "../../constructs/vault-config/platform";
import { validateVaultConfiguration } from "../../constructs/vault-config/spec";
import { ProblemCollector } from "../../core/problems";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { problemsOf } from "../support/environments";

const CONTEXT: ServiceContext = { tier: "production", target: "kubernetes" };
const services = production.services ?? {};
const backup = services.postgres?.backup;
if (!backup) throw new Error("production declares PostgreSQL backups");

function configurationOf(changed: PlatformServicesConfig) {
  const spec = platformVaultConfiguration(changed, CONTEXT);
  const problems = new ProblemCollector();
  validateVaultConfiguration(spec, problems);
  expect(problems.problems).toEqual([]);
  return spec;
}

describe("the platform's Vault configuration, from the services", () => {
  test("External Secrets reads exactly the PostgreSQL backup credentials, at their KV v2 data path, through its role", () => {
    expect(platformVaultConfiguration(services, CONTEXT)).toEqual({
      kvMount: "platform",
      kubernetesAuthMount: "kubernetes",
      policies: [
        {
          name: "external-secrets",
          description: "External Secrets' ClusterSecretStore: reads the keys the platform's ExternalSecrets name, nothing else",
          rules: [
            {
              path: "platform/data/postgres/backup-s3",
              capabilities: ["read"],
              comment: "Named by services.postgres.backup.credentialsVaultPath",
            },
          ],
        },
      ],
      roles: [
        {
          name: "external-secrets",
          serviceAccounts: ["external-secrets"],
          namespaces: ["external-secrets"],
          policies: ["external-secrets"],
          tokenTtl: "15m",
        },
      ],
    });
  });

  test("follows the specs: the backup credentials' key, External Secrets' mount, auth mount and role", () => {
    const spec = configurationOf({
      ...services,
      postgres: { ...services.postgres, backup: { ...backup, credentialsVaultPath: "backups/postgres" } },
      externalSecrets: { vaultMount: "secrets", vaultAuthMount: "k8s", vaultRole: "eso" },
    });
    expect(spec).toMatchObject({ kvMount: "secrets", kubernetesAuthMount: "k8s" });
    expect(spec.policies).toEqual([
      expect.objectContaining({ name: "eso", rules: [expect.objectContaining({ path: "secrets/data/backups/postgres" })] }),
    ]);
    expect(spec.roles).toEqual([expect.objectContaining({ name: "eso", policies: ["eso"] })]);
  });

  test("without a key to read, External Secrets' role keeps Vault's default policy only, so its store can still log in", () => {
    for (const changed of [
      { ...services, postgres: { ...services.postgres, backup: undefined } },
      { ...services, postgres: { ...services.postgres, enabled: false } },
    ]) {
      const spec = configurationOf(changed);
      expect(spec.policies).toEqual([]);
      expect(spec.roles).toEqual([expect.objectContaining({ name: "external-secrets", policies: ["default"] })]);
    }
  });

  test("without External Secrets, no consumer: the mounts and the audit device only", () => {
    const spec = configurationOf({ ...services, externalSecrets: { enabled: false } });
    expect(spec).toEqual({ kvMount: "platform", kubernetesAuthMount: "kubernetes", policies: [], roles: [] });
  });

  test("each key the platform's ExternalSecrets read is listed once", () => {
    expect(vaultSecretReferences(services)).toEqual([
      { key: "postgres/backup-s3", field: "services.postgres.backup.credentialsVaultPath" },
    ]);
    expect(vaultSecretReferences({ ...services, postgres: { enabled: false } })).toEqual([]);
  });

  test("a PostgreSQL clone's read-only key for its source's backups is read too, with the backup key", () => {
    expect(vaultSecretReferences(staging.services ?? {})).toEqual([
      { key: "postgres/backup-s3", field: "services.postgres.backup.credentialsVaultPath" },
      { key: "postgres/clone-source/production", field: "services.postgres.clusters[0].cloneFrom.credentialsVaultPath" },
    ]);
  });
});

describe("PostgreSQL backup credentials' Vault key", () => {
  test.each([["/postgres/backup-s3"], ["platform/data/postgres/backup-s3/"], ["postgres/*"], ["postgres backup"]])(
    "fails when it is %s",
    (key) => {
      const config = {
        ...dev,
        services: { ...dev.services, postgres: { ...dev.services?.postgres, backup: { ...backup, credentialsVaultPath: key } } },
      };
      expect(problemsOf(config)).toEqual([
        `environments/dev.ts: services.postgres.backup.credentialsVaultPath: Vault key is not a path below the KV mount (got ${JSON.stringify(key)}; use segments of letters, digits, '-', '_', '.' or '@' separated by single '/', without the mount, data/ or a leading '/', e.g. postgres/backup-s3)`,
      ]);
    },
  );
});
