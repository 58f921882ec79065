import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { copiedSecretManifest, NamespaceSecretAccess } from "../external-secrets/namespace-access";
import { KubernetesManifest, ManifestsRelease } from "../helm/manifests-release";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { EXTERNAL_SECRETS_API } from "../external-secrets/generated-secret";
import { ResolvedTeam, teamRoleName } from "./spec";
import { TEAM_VAULT_SERVICE_ACCOUNT, teamVaultName } from "./vault";

/**
 * Where a team's credentials come from, as the services built them. Each
 * names the Secrets (in the service's namespace) that hold them and what a
 * copy must wait for.
 */
export interface PostgresCredentialSource {
  readonly namespace: string;
  readonly port: number;
  /** In-cluster host of a cluster's read-write Service. */
  readonly host: (cluster: string) => string;
  /** The basic-auth Secret (`username`, `password`) of an owner role. */
  readonly secretName: (cluster: string, owner: string) => string;
  /** Before the copy: a cluster's owner Secrets exist and, for a clone, its data is sanitised; typically `Postgres.credentialsReady`. */
  readonly ready: (cluster: string) => readonly ITerraformDependable[];
}

export interface KafkaCredentialSource {
  readonly namespace: string;
  readonly bootstrapServers: string;
  /** `scram-sha-512`: the user Secret has `password` and `sasl.jaas.config`; `tls`: `user.crt` and `user.key`. */
  readonly authentication: "scram-sha-512" | "tls";
  /** The Secret the User Operator writes for a KafkaUser: named after it. */
  readonly userSecretName: (user: string) => string;
  /** The cluster CA's certificate Secret (`ca.crt`), which clients verify the brokers with. */
  readonly caSecretName: string;
  readonly ready: readonly ITerraformDependable[];
}

export interface RedisCredentialSource {
  readonly namespace: string;
  /** `host:port` of the sentinels. */
  readonly sentinels: string;
  readonly masterGroup: string;
  /** An ACL user's password Secret (`password`). */
  readonly userSecretName: (user: string) => string;
  /** The sentinels' shared password. */
  readonly sentinelSecret: { readonly name: string; readonly key: string };
  readonly ready: readonly ITerraformDependable[];
}

/** The Vault a team pulls its own secrets from, through a SecretStore in each of its namespaces. */
export interface VaultSecretSource {
  /** Vault's API, https. */
  readonly address: string;
  readonly kvMount: string;
  readonly authMount: string;
  /** The CA ClusterIssuer that signed Vault's certificate: it issues each namespace the CA to verify it with. */
  readonly caIssuer: { readonly name: string; readonly kind: "ClusterIssuer" | "Issuer" };
  readonly ready: readonly ITerraformDependable[];
}

export interface TeamCredentialSources {
  readonly postgres?: PostgresCredentialSource;
  readonly kafka?: KafkaCredentialSource;
  readonly redis?: RedisCredentialSource;
  readonly vault?: VaultSecretSource;
}

export interface TeamCredentialsProps {
  readonly team: ResolvedTeam;
  readonly sources: TeamCredentialSources;
  /** External Secrets, running; typically `ExternalSecrets.ready`. */
  readonly secretsReady: readonly ITerraformDependable[];
  /** The team's namespaces, which must exist first. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The Secrets a team's applications read, in each of its namespaces. */
export const TEAM_SECRETS = { postgres: "platform-postgres", kafka: "platform-kafka", redis: "platform-redis" } as const;

/** The team's own SecretStore in each namespace, reading its Vault prefix, and the Secret holding the CA it verifies Vault with. */
export const TEAM_VAULT_STORE = "vault";
export const TEAM_CA_SECRET = "platform-ca";

/**
 * A team's credentials, copied by External Secrets into each of its
 * namespaces as Secrets with the keys applications expect: PostgreSQL (`host`,
 * `port`, `dbname`, `user`, `password`, `uri`, `jdbc-uri`), Kafka
 * (`bootstrap.servers`, the user's credentials and the cluster CA), Redis
 * (the sentinels, the team's ACL user and password, its key prefix). Each
 * copy reads through a store whose service account may `get` exactly the
 * Secrets it needs in the service's namespace; Terraform never sees a value,
 * and a rotated source reaches the copies within the refresh interval. With a
 * Vault, each namespace also gets the team's own SecretStore (`vault`), which
 * reads the team's prefix with the team's role and verifies Vault's CA.
 */
export class TeamCredentials extends Construct {
  /** One release per team namespace. */
  public readonly releases: readonly ManifestsRelease[];

  constructor(scope: Construct, id: string, props: TeamCredentialsProps) {
    super(scope, id);
    const { team, sources } = props;
    const labels = { "platform/team": team.name };
    this.releases = team.namespaces.flatMap((namespace) => {
      const manifests: KubernetesManifest[] = [];
      const waits: ITerraformDependable[] = [...props.secretsReady, ...(props.dependsOn ?? [])];
      const copy = (
        service: keyof TeamCredentialSources,
        sourceNamespace: string,
        secretNames: string[],
        ready: readonly ITerraformDependable[],
      ) => {
        const access = new NamespaceSecretAccess(this, `${namespace}-${service}`, {
          namespace,
          sourceNamespace,
          secretNames,
          name: `platform-${service}`,
          labels,
        });
        manifests.push(access.store);
        waits.push(...access.dependables, ...ready);
        return access;
      };

      if (team.postgres && sources.postgres) {
        const source = sources.postgres;
        const role = teamRoleName(team.name);
        const secret = source.secretName(team.postgres.cluster, role);
        copy("postgres", source.namespace, [secret], source.ready(team.postgres.cluster));
        const host = source.host(team.postgres.cluster);
        const address = `${host}:${source.port}/${team.postgres.database}`;
        manifests.push(
          copiedSecretManifest({
            name: TEAM_SECRETS.postgres,
            namespace,
            store: "platform-postgres",
            labels,
            keys: [
              { secretKey: "username", key: secret, property: "username" },
              { secretKey: "password", key: secret, property: "password" },
            ],
            template: {
              host,
              port: String(source.port),
              dbname: team.postgres.database,
              user: "{{ .username }}",
              username: "{{ .username }}",
              password: "{{ .password }}",
              uri: `postgresql://{{ .username }}:{{ .password | urlquery }}@${address}`,
              "jdbc-uri": `jdbc:postgresql://${address}?user={{ .username }}&password={{ .password | urlquery }}`,
            },
          }),
        );
      }

      if (team.kafka && sources.kafka) {
        const source = sources.kafka;
        const user = source.userSecretName(team.name);
        copy("kafka", source.namespace, [user, source.caSecretName], source.ready);
        const ca = { secretKey: "ca", key: source.caSecretName, property: "ca.crt" };
        const scram = source.authentication === "scram-sha-512";
        manifests.push(
          copiedSecretManifest({
            name: TEAM_SECRETS.kafka,
            namespace,
            store: "platform-kafka",
            labels,
            keys: scram
              ? [
                  ca,
                  { secretKey: "password", key: user, property: "password" },
                  { secretKey: "jaas", key: user, property: "sasl.jaas.config" },
                ]
              : [ca, { secretKey: "cert", key: user, property: "user.crt" }, { secretKey: "key", key: user, property: "user.key" }],
            template: {
              "bootstrap.servers": source.bootstrapServers,
              "ca.crt": "{{ .ca }}",
              ...(scram
                ? {
                    "security.protocol": "SASL_SSL",
                    "sasl.mechanism": "SCRAM-SHA-512",
                    username: team.name,
                    password: "{{ .password }}",
                    "sasl.jaas.config": "{{ .jaas }}",
                  }
                : { "security.protocol": "SSL", "user.crt": "{{ .cert }}", "user.key": "{{ .key }}" }),
            },
          }),
        );
      }

      if (team.redis && sources.redis) {
        const source = sources.redis;
        const user = source.userSecretName(team.name);
        copy("redis", source.namespace, [user, source.sentinelSecret.name], source.ready);
        manifests.push(
          copiedSecretManifest({
            name: TEAM_SECRETS.redis,
            namespace,
            store: "platform-redis",
            labels,
            keys: [
              { secretKey: "password", key: user, property: "password" },
              { secretKey: "sentinel", key: source.sentinelSecret.name, property: source.sentinelSecret.key },
            ],
            template: {
              sentinels: source.sentinels,
              "master-name": source.masterGroup,
              username: team.name,
              password: "{{ .password }}",
              "sentinel-password": "{{ .sentinel }}",
              "key-prefix": `${team.name}:`,
            },
          }),
        );
      }

      if (sources.vault) {
        const vault = sources.vault;
        const account = new ServiceAccountV1(this, `${namespace}-vault`, {
          metadata: { name: TEAM_VAULT_SERVICE_ACCOUNT, namespace, labels },
          // The token is requested by External Secrets for the store; no pod mounts it.
          automountServiceAccountToken: false,
        });
        manifests.push(caBundleCertificate(team.name, namespace, vault.caIssuer, labels), {
          apiVersion: EXTERNAL_SECRETS_API,
          kind: "SecretStore",
          metadata: { name: TEAM_VAULT_STORE, namespace, labels },
          spec: {
            provider: {
              vault: {
                server: vault.address,
                path: vault.kvMount,
                version: "v2",
                caProvider: { type: "Secret", name: TEAM_CA_SECRET, key: "ca.crt" },
                auth: {
                  kubernetes: {
                    mountPath: vault.authMount,
                    role: teamVaultName(team.name),
                    serviceAccountRef: { name: TEAM_VAULT_SERVICE_ACCOUNT },
                  },
                },
              },
            },
          },
        });
        waits.push(account, ...vault.ready);
      }

      if (manifests.length === 0) return [];
      return [new ManifestsRelease(this, namespace, { name: "team-credentials", namespace, manifests, dependsOn: waits })];
    });
  }
}

/**
 * A certificate for no service, issued by the platform's CA in a team
 * namespace: cert-manager writes the CA's certificate beside it (`ca.crt`),
 * which is the only part the team's Vault SecretStore reads. Copying `ca.crt`
 * from Vault's own Secret would need read access to Vault's private key; this
 * needs none. Its name is under `.invalid`, so no client accepts it for anything.
 */
function caBundleCertificate(
  team: string,
  namespace: string,
  issuer: VaultSecretSource["caIssuer"],
  labels: Readonly<Record<string, string>>,
): KubernetesManifest {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: TEAM_CA_SECRET, namespace, labels: { ...labels } },
    spec: {
      secretName: TEAM_CA_SECRET,
      commonName: `ca-bundle.${namespace}.${team}.invalid`,
      dnsNames: [`ca-bundle.${namespace}.${team}.invalid`],
      duration: "8760h",
      renewBefore: "720h",
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      usages: ["digital signature"],
      issuerRef: { name: issuer.name, kind: issuer.kind, group: "cert-manager.io" },
    },
  };
}
