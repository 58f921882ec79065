import * as v from "valibot";
import { isDns1123Subdomain } from "../../core/formats";
import { ProblemCollector } from "../../core/problems";
import { schemaOf } from "../../core/schema";

/*
 * The seals open-source Vault supports: Shamir (the default, no stanza) and
 * the auto-unseal seals whose pages hashicorp/vault documents under
 * website/content/docs/configuration/seal/ and whose wrappers go-kms-wrapping
 * ships (awskms, azurekeyvault, gcpckms, ocikms, alicloudkms, transit).
 * pkcs11 (HSM) and KMIP are Enterprise only and are not accepted.
 */

/**
 * Credentials of a seal, read from an existing Kubernetes Secret in Vault's
 * namespace: the chart passes its keys to the server as environment
 * variables (`server.extraSecretEnvironmentVars`) or mounts it as a file, so
 * no credential is ever a chart value. Which keys the Secret holds depends on
 * the seal (`SEAL_CREDENTIAL_KEYS`).
 */
export interface SealCredentials {
  /** Name of the Secret, in Vault's namespace. */
  readonly secretName: string;
}

/** Shamir's secret sharing: key shares an operator enters after every restart (`vault operator unseal`). */
export interface ShamirSeal {
  readonly kind: "shamir";
}

/** AWS KMS (`seal "awskms"`). */
export interface AwsKmsSeal {
  readonly kind: "awskms";
  /** `region` of the key, e.g. `eu-west-3`. */
  readonly region: string;
  /** `kms_key_id`: the key's ID, ARN or alias (`alias/vault-unseal`). */
  readonly kmsKeyId: string;
  /** `endpoint`: a KMS endpoint other than the region's, e.g. a VPC endpoint, over https. @default - the region's */
  readonly endpoint?: string;
  /**
   * Static keys: the Secret holds `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
   * @default - the AWS SDK's chain: web identity (IRSA) or the node's instance role
   */
  readonly credentials?: SealCredentials;
}

/** Azure Key Vault (`seal "azurekeyvault"`). */
export interface AzureKeyVaultSeal {
  readonly kind: "azurekeyvault";
  /** `tenant_id` of the Azure AD tenant. */
  readonly tenantId: string;
  /** `vault_name`: the Key Vault holding the key. */
  readonly vaultName: string;
  /** `key_name`: the key in it. */
  readonly keyName: string;
  /** `environment`, e.g. `AZUREUSGOVERNMENTCLOUD`. @default - AZUREPUBLICCLOUD */
  readonly environment?: string;
  /** `resource`: the Key Vault DNS suffix of that environment. @default - vault.azure.net */
  readonly resource?: string;
  /**
   * A service principal: the Secret holds `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`.
   * @default - a managed identity
   */
  readonly credentials?: SealCredentials;
}

/** Google Cloud KMS (`seal "gcpckms"`). */
export interface GcpCkmsSeal {
  readonly kind: "gcpckms";
  /** `project` that holds the key ring. */
  readonly project: string;
  /** `region` (location) of the key ring, e.g. `europe-west1` or `global`. */
  readonly region: string;
  /** `key_ring`. */
  readonly keyRing: string;
  /** `crypto_key`. */
  readonly cryptoKey: string;
  /**
   * A service account key: the Secret holds `credentials.json`, mounted as a
   * file and named in the stanza's `credentials` (Vault reads a path there,
   * not the key itself).
   * @default - application default credentials (workload identity, the node's service account)
   */
  readonly credentials?: SealCredentials;
}

/** Oracle Cloud Infrastructure KMS (`seal "ocikms"`), authenticated as the node's instance principal. */
export interface OciKmsSeal {
  readonly kind: "ocikms";
  /** `key_id`: the key's OCID. */
  readonly keyId: string;
  /** `crypto_endpoint` of the vault, over https. */
  readonly cryptoEndpoint: string;
  /** `management_endpoint` of the vault, over https. */
  readonly managementEndpoint: string;
}

/** Alibaba Cloud KMS (`seal "alicloudkms"`). */
export interface AliCloudKmsSeal {
  readonly kind: "alicloudkms";
  /** `region`, e.g. `eu-central-1`. */
  readonly region: string;
  /** `kms_key_id`. */
  readonly kmsKeyId: string;
  /** `domain`: a KMS endpoint other than the region's. @default - the region's */
  readonly domain?: string;
  /**
   * An access key: the Secret holds `ALICLOUD_ACCESS_KEY` and `ALICLOUD_SECRET_KEY`.
   * @default - the SDK's chain: environment, then the instance's RAM role
   */
  readonly credentials?: SealCredentials;
}

/** Another Vault's transit secrets engine (`seal "transit"`). */
export interface TransitSeal {
  readonly kind: "transit";
  /**
   * `address` of the Vault that holds the key, over https. Always written:
   * the chart's VAULT_ADDR points the server at itself.
   */
  readonly address: string;
  /** `key_name` of the transit key. */
  readonly keyName: string;
  /** `mount_path` of the transit engine, e.g. `transit/`. */
  readonly mountPath: string;
  /** `tls_server_name`, when `address` is not a name its certificate covers. @default - the host of `address` */
  readonly tlsServerName?: string;
  /**
   * The CA that verifies the transit Vault, mounted and named in `tls_ca_cert`.
   * @default - VAULT_CACERT of the pods: this environment's CA, which verifies a transit Vault it also issued
   */
  readonly caCertificate?: { readonly secretName: string; readonly key: string };
  /** `disable_renewal`: leave renewing the token to something else. @default false */
  readonly disableRenewal?: boolean;
  /** The Secret holds `VAULT_TOKEN`, a token allowed to `update` `<mount>/encrypt/<key>` and `<mount>/decrypt/<key>`. */
  readonly credentials: SealCredentials;
}

/** How Vault's root key is protected, and how a node is unsealed after a restart. */
export type VaultSeal = ShamirSeal | AwsKmsSeal | AzureKeyVaultSeal | GcpCkmsSeal | OciKmsSeal | AliCloudKmsSeal | TransitSeal;

export type SealKind = VaultSeal["kind"];

export const SEAL_KINDS: readonly SealKind[] = ["shamir", "awskms", "azurekeyvault", "gcpckms", "ocikms", "alicloudkms", "transit"];

/** @default seal */
export const SHAMIR: ShamirSeal = { kind: "shamir" };

/**
 * The keys a seal's credentials Secret holds, each passed as the environment
 * variable of the same name (the seal pages of the Vault docs; go-kms-wrapping
 * and the cloud SDKs read them). gcpckms mounts `credentials.json` instead.
 */
export const SEAL_CREDENTIAL_KEYS: Readonly<Record<Exclude<SealKind, "shamir" | "ocikms">, readonly string[]>> = {
  awskms: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  azurekeyvault: ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"],
  gcpckms: ["credentials.json"],
  alicloudkms: ["ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"],
  transit: ["VAULT_TOKEN"],
};

const CREDENTIALS = schemaOf<SealCredentials>()(v.strictObject({ secretName: v.string() }));
const text = v.string();
const optionalText = v.optional(v.string());

/** The shape of a VaultSeal: a known kind with its parameters; `validateSeal` checks their values. */
export const SEAL_SCHEMA = schemaOf<VaultSeal>()(
  v.variant("kind", [
    v.strictObject({ kind: v.literal("shamir") }),
    v.strictObject({
      kind: v.literal("awskms"),
      region: text,
      kmsKeyId: text,
      endpoint: optionalText,
      credentials: v.optional(CREDENTIALS),
    }),
    v.strictObject({
      kind: v.literal("azurekeyvault"),
      tenantId: text,
      vaultName: text,
      keyName: text,
      environment: optionalText,
      resource: optionalText,
      credentials: v.optional(CREDENTIALS),
    }),
    v.strictObject({
      kind: v.literal("gcpckms"),
      project: text,
      region: text,
      keyRing: text,
      cryptoKey: text,
      credentials: v.optional(CREDENTIALS),
    }),
    v.strictObject({ kind: v.literal("ocikms"), keyId: text, cryptoEndpoint: text, managementEndpoint: text }),
    v.strictObject({
      kind: v.literal("alicloudkms"),
      region: text,
      kmsKeyId: text,
      domain: optionalText,
      credentials: v.optional(CREDENTIALS),
    }),
    v.strictObject({
      kind: v.literal("transit"),
      address: text,
      keyName: text,
      mountPath: text,
      tlsServerName: optionalText,
      caCertificate: v.optional(v.strictObject({ secretName: text, key: text })),
      disableRenewal: v.optional(v.boolean()),
      credentials: CREDENTIALS,
    }),
  ]),
);

/**
 * What the stanza can hold as written: the config is an HCL string that Helm
 * passes through `tpl` and the container through `sed`, so no quote,
 * backslash, brace, `$` or whitespace.
 */
const PLAIN = /^[^\s"\\{}$]+$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The HCL parameters of a seal, by their stanza names, in the order written. */
function parameters(seal: VaultSeal): ReadonlyArray<readonly [string, string | undefined]> {
  switch (seal.kind) {
    case "shamir":
      return [];
    case "awskms":
      return [
        ["region", seal.region],
        ["kms_key_id", seal.kmsKeyId],
        ["endpoint", seal.endpoint],
      ];
    case "azurekeyvault":
      return [
        ["tenant_id", seal.tenantId],
        ["vault_name", seal.vaultName],
        ["key_name", seal.keyName],
        ["environment", seal.environment],
        ["resource", seal.resource],
      ];
    case "gcpckms":
      return [
        ["project", seal.project],
        ["region", seal.region],
        ["key_ring", seal.keyRing],
        ["crypto_key", seal.cryptoKey],
      ];
    case "ocikms":
      return [
        ["key_id", seal.keyId],
        ["crypto_endpoint", seal.cryptoEndpoint],
        ["management_endpoint", seal.managementEndpoint],
      ];
    case "alicloudkms":
      return [
        ["region", seal.region],
        ["kms_key_id", seal.kmsKeyId],
        ["domain", seal.domain],
      ];
    case "transit":
      return [
        ["address", seal.address],
        ["key_name", seal.keyName],
        ["mount_path", seal.mountPath],
        ["tls_server_name", seal.tlsServerName],
      ];
  }
}

/** The typed field each stanza parameter comes from, for messages. */
const FIELDS: Readonly<Record<string, string>> = {
  region: "region",
  kms_key_id: "kmsKeyId",
  endpoint: "endpoint",
  tenant_id: "tenantId",
  vault_name: "vaultName",
  key_name: "keyName",
  environment: "environment",
  resource: "resource",
  project: "project",
  key_ring: "keyRing",
  crypto_key: "cryptoKey",
  key_id: "keyId",
  crypto_endpoint: "cryptoEndpoint",
  management_endpoint: "managementEndpoint",
  domain: "domain",
  address: "address",
  mount_path: "mountPath",
  tls_server_name: "tlsServerName",
};

/** Parameters Vault dials: https URLs only, so that the seal's requests and the transit token travel encrypted. */
const URL_PARAMETERS = new Set(["endpoint", "crypto_endpoint", "management_endpoint", "address"]);

/** The values rules of a seal whose shape `SEAL_SCHEMA` accepted. */
export function validateSeal(seal: VaultSeal, problems: ProblemCollector): void {
  for (const [name, value] of parameters(seal)) {
    if (value === undefined) continue;
    const field = FIELDS[name];
    if (
      !problems.check(
        PLAIN.test(value),
        field,
        `is not a value the ${seal.kind} stanza can hold as written`,
        value,
        "write it without spaces, quotes, backslashes, braces or $",
      )
    )
      continue;
    if (URL_PARAMETERS.has(name)) {
      problems.check(
        isHttpsUrl(value),
        field,
        "is not an https:// URL",
        value,
        name === "address"
          ? "give the transit Vault's https:// address, e.g. https://vault.example.com:8200"
          : "give the endpoint's https:// URL",
      );
    }
  }
  if ("credentials" in seal && seal.credentials !== undefined) {
    problems.check(
      isDns1123Subdomain(seal.credentials.secretName),
      "credentials.secretName",
      "is not a Secret name",
      seal.credentials.secretName,
      `name an existing Secret in Vault's namespace, lowercase letters, digits, '-' and '.', holding ${SEAL_CREDENTIAL_KEYS[seal.kind].join(" and ")}`,
    );
  }
  if (seal.kind === "transit" && seal.caCertificate !== undefined) {
    problems.check(
      isDns1123Subdomain(seal.caCertificate.secretName),
      "caCertificate.secretName",
      "is not a Secret name",
      seal.caCertificate.secretName,
      "name an existing Secret in Vault's namespace, lowercase letters, digits, '-' and '.'",
    );
    problems.check(
      SECRET_KEY.test(seal.caCertificate.key),
      "caCertificate.key",
      "is not a key a Secret can hold",
      seal.caCertificate.key,
      "use letters, digits, '-', '_' and '.', e.g. ca.crt",
    );
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A Secret the server mounts read-only at /vault/userconfig/<name> (the chart's `server.extraVolumes`). */
export interface MountedSecret {
  readonly secretName: string;
}

/** What a seal adds to Vault's pods and config. */
export interface SealRendering {
  /** The `seal "<kind>" { … }` stanza; empty for Shamir, which has none. */
  readonly stanza: string;
  /** `server.extraSecretEnvironmentVars` entries. */
  readonly secretEnvironment: ReadonlyArray<{ readonly envName: string; readonly secretName: string; readonly secretKey: string }>;
  /** Secrets to mount beside the listener's certificate. */
  readonly mounts: readonly MountedSecret[];
  /** Ports the server dials outside the cluster. */
  readonly egressPorts: readonly number[];
}

/** The stanza, the credentials' environment and mounts of a seal; `userconfig` is where the chart mounts Secrets. */
export function renderSeal(seal: VaultSeal, userconfig: string): SealRendering {
  if (seal.kind === "shamir") return { stanza: "", secretEnvironment: [], mounts: [], egressPorts: [] };
  const lines: Array<[string, string]> = parameters(seal).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]]));
  const mounts: MountedSecret[] = [];
  let secretEnvironment: SealRendering["secretEnvironment"] = [];
  if (seal.kind === "gcpckms" && seal.credentials !== undefined) {
    mounts.push({ secretName: seal.credentials.secretName });
    lines.push(["credentials", `${userconfig}/${seal.credentials.secretName}/${SEAL_CREDENTIAL_KEYS.gcpckms[0]}`]);
  } else if (seal.kind !== "ocikms" && seal.kind !== "gcpckms" && seal.credentials !== undefined) {
    const secretName = seal.credentials.secretName;
    secretEnvironment = SEAL_CREDENTIAL_KEYS[seal.kind].map((key) => ({ envName: key, secretName, secretKey: key }));
  }
  if (seal.kind === "ocikms") lines.push(["auth_type_api_key", "false"]);
  if (seal.kind === "transit") {
    if (seal.caCertificate !== undefined) {
      mounts.push({ secretName: seal.caCertificate.secretName });
      lines.push(["tls_ca_cert", `${userconfig}/${seal.caCertificate.secretName}/${seal.caCertificate.key}`]);
    }
    if (seal.disableRenewal !== undefined) lines.push(["disable_renewal", String(seal.disableRenewal)]);
  }
  const stanza = [`seal "${seal.kind}" {`, ...lines.map(([name, value]) => `  ${name} = "${value}"`), "}"].join("\n");
  return { stanza, secretEnvironment, mounts, egressPorts: [seal.kind === "transit" ? portOf(seal.address) : 443] };
}

function portOf(address: string): number {
  const url = new URL(address);
  return url.port === "" ? 443 : Number(url.port);
}
