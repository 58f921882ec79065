import { IConstruct } from "constructs";
import { derived, HelmReleaseView, ResourceView, StackInventory } from "./inventory";
import { isObject, objectsAt, stringAt } from "./json";

/** What made a value look like a secret; each is one rule. */
export type SecretKind = "literal" | "private-key" | "entropy";

export interface SecretHit {
  readonly kind: SecretKind;
  readonly construct: IConstruct;
  /** Where the value sits, e.g. `values.auth.password` or `set_sensitive[0].value`; never the value. */
  readonly where: string;
  readonly length: number;
}

/** Last words of a key that name secret material: `password`, `adminPassword`, `api_token`. */
const SECRET_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "token", "jwt", "apikey"]);
/** Last words that name either secret material or, as often, the Secret that holds it (`existingSecret`). */
const SECRET_OR_NAME_WORDS = new Set(["secret", "credentials"]);
/** `<word>Key` names key material (`privateKey`, `secret_key`); other `…Key`s name a key in a Secret. */
const KEY_MATERIAL_PREFIXES = new Set(["private", "secret", "access", "api", "encryption", "signing", "master"]);

/** How Kubernetes names a Secret or a key in one: a reference, not the secret. */
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ENV_STYLE_NAME = /^[A-Z][A-Z0-9_]*$/;

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** Certificates and public keys are meant to be shared: their base64 is not a secret. */
const PEM_PUBLIC_BLOCK = /-----BEGIN (?:CERTIFICATE|[A-Z0-9 ]*PUBLIC KEY)-----[\s\S]*?-----END [A-Z0-9 ]+-----/g;
const TERRAFORM_EXPRESSION = /\$\{[^}]*\}/g;
const BASE64_TOKEN = /[A-Za-z0-9+/=_-]{24,}/g;
const HEX_TOKEN = /[0-9a-fA-F]{32,}/g;
const DIGEST_PREFIX = /(sha256|sha384|sha512):$/;

/** Bits per character above which a token is random enough to be a credential (detect-secrets uses 4.5 / 3.0). */
export const BASE64_ENTROPY_LIMIT = 4.3;
export const HEX_ENTROPY_LIMIT = 3.0;

/** Fields that hold identifiers, never secrets: chart paths (asset hashes), images, digests, Terraform addresses. */
const IDENTIFIER_KEYS = new Set(["chart", "image", "imageName", "digest", "repo_digest", "image_id", "source", "depends_on", "provider"]);

/** cdktf's own metadata in every block: construct paths and logical ids, never written by us. */
const CDKTF_METADATA = "//";

/** Release attributes read through the parsed values, or secret by declaration (`set_sensitive`, `set_wo`). */
const RELEASE_VALUE_KEYS = new Set(["values", "set", "set_list", "set_sensitive", "set_wo"]);

/**
 * Every secret-looking literal the stack synthesizes: element JSON (backends
 * excepted: PLAT-STATE-002 owns them) and chart values, parsed.
 */
export const scanSecrets = derived((inventory: StackInventory): readonly SecretHit[] => {
  const hits: SecretHit[] = [];
  const releases = new Map<IConstruct, HelmReleaseView>(inventory.releases.map((release) => [release.resource.construct, release]));
  const resources = new Map<IConstruct, ResourceView>(inventory.resources.map((view) => [view.construct, view]));
  for (const element of inventory.elements) {
    if (inventory.backend?.construct === element.construct) continue;
    const resource = resources.get(element.construct);
    const scan = new Scanner(element.construct, inventory.assetPaths, hits);
    if (resource === undefined) {
      scan.node(element.json, "", undefined, false);
      continue;
    }
    const release = releases.get(element.construct);
    const secretResource = resource.type === "kubernetes_secret" || resource.type === "kubernetes_secret_v1";
    for (const [key, value] of Object.entries(resource.attributes)) {
      if (key === CDKTF_METADATA) continue;
      if (release !== undefined && RELEASE_VALUE_KEYS.has(key)) {
        // Values are scanned parsed (so a key tells what a value is); raw only when unreadable.
        if (key === "values" && release.problems.length > 0) scan.node(value, key, key, false);
        if (key === "set_sensitive" || key === "set_wo") {
          objectsAt(value).forEach((entry, index) => scan.node(entry.value, `${key}[${index}].value`, key, true));
        }
        continue;
      }
      scan.node(value, key, key, secretResource && (key === "data" || key === "binary_data"));
    }
    if (release !== undefined) scan.node(release.values, "values", undefined, false);
  }
  return hits;
});

class Scanner {
  constructor(
    private readonly construct: IConstruct,
    private readonly assetPaths: ReadonlySet<string>,
    private readonly hits: SecretHit[],
  ) {}

  /** `secretData`: inside a Secret's data, where every literal is a secret. */
  public node(value: unknown, where: string, key: string | undefined, secretData: boolean): void {
    if (typeof value === "string") {
      this.leaf(value, where, key, secretData);
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => {
        if (typeof item === "string" && key === "env") this.envEntry(item, `${where}[${index}]`);
        else this.node(item, `${where}[${index}]`, key, secretData);
      });
    } else if (isObject(value)) {
      const isSecretObject = value.kind === "Secret";
      // `{ name: DB_PASSWORD, value: … }` (env vars, Helm `set`): the name tells what the value is.
      const pairName = stringAt(value.name);
      for (const [child, entry] of Object.entries(value)) {
        if (child === CDKTF_METADATA) continue;
        const childKey = child === "value" && pairName !== undefined ? lastSegment(pairName) : child;
        const data = secretData || (isSecretObject && (child === "data" || child === "stringData"));
        this.node(entry, where === "" ? child : `${where}.${child}`, childKey, data);
      }
    }
  }

  /** Docker's `env = ["KEY=value"]`. */
  private envEntry(entry: string, where: string): void {
    const separator = entry.indexOf("=");
    if (separator > 0) this.leaf(entry.slice(separator + 1), where, entry.slice(0, separator), false);
  }

  private leaf(value: string, where: string, key: string | undefined, secretData: boolean): void {
    const literal = value.replace(TERRAFORM_EXPRESSION, "").trim();
    if (literal === "" || this.assetPaths.has(value)) return;
    const hit = (kind: SecretKind) => this.hits.push({ kind, construct: this.construct, where, length: value.length });
    if (PEM_PRIVATE_KEY.test(value)) hit("private-key");
    else if (secretData || (key !== undefined && isSecretLiteral(key, literal))) hit("literal");
    else if (key === undefined || !IDENTIFIER_KEYS.has(key)) {
      if (hasHighEntropyToken(literal.replace(PEM_PUBLIC_BLOCK, ""))) hit("entropy");
    }
  }
}

function lastSegment(name: string): string {
  return (
    name
      .split(/[.[\]]/)
      .filter((part) => part !== "")
      .pop() ?? name
  );
}

/** Splits `adminPassword`, `api_token`, `tls.key` into lowercase words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_.\-/]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
}

/** Whether `value` under `key` is secret material written literally (not a reference to where it lives). */
export function isSecretLiteral(key: string, value: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1] ?? "";
  const previous = words[words.length - 2] ?? "";
  const joined = `${previous}${last}`;
  if (isReference(value)) return false;
  if (SECRET_WORDS.has(last) || SECRET_WORDS.has(joined)) return true;
  const namesMaterial = SECRET_OR_NAME_WORDS.has(last) || (last === "key" && KEY_MATERIAL_PREFIXES.has(previous));
  return namesMaterial && !KUBERNETES_NAME.test(value) && !ENV_STYLE_NAME.test(value);
}

/** Values that point at a secret rather than hold one. */
function isReference(value: string): boolean {
  return (
    /^\$[A-Za-z]/.test(value) || // Argo CD's `$secret-key` and shell-style references
    value.includes("{{") || // chart templates
    /^(vault:|ref\+)/.test(value) // Vault paths, vals references
  );
}

/** A token random enough to be a key or password, digests and asset hashes aside. */
export function hasHighEntropyToken(text: string): boolean {
  for (const match of text.matchAll(BASE64_TOKEN)) {
    const token = match[0];
    if (isDigest(text, match.index ?? 0)) continue;
    if (/[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token) && shannonEntropy(token) >= BASE64_ENTROPY_LIMIT) return true;
  }
  for (const match of text.matchAll(HEX_TOKEN)) {
    const token = match[0];
    if (isDigest(text, match.index ?? 0)) continue;
    if (/[0-9]/.test(token) && /[a-fA-F]/.test(token) && shannonEntropy(token) >= HEX_ENTROPY_LIMIT) return true;
  }
  return false;
}

function isDigest(text: string, index: number): boolean {
  return DIGEST_PREFIX.test(text.slice(Math.max(0, index - 7), index));
}

/** Bits per character of a string's own character distribution. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
