import { parse } from "yaml";
import { ENVIRONMENTS } from "../environments";
import { synthEnvironment } from "./support/synth";

/**
 * Field names whose value is the secret itself. `existingSecret`, `secretName`
 * or `authKey` name a Secret or a key inside one: references, not values.
 */
const SECRET_FIELD = /(^secret|password|passwd|token|private[_-]?key|access[_-]?key|secret[_-]?key|api[_-]?key)$/i;
/** Values computed elsewhere: Terraform references and templates rendered in the cluster. */
const REFERENCE = /^(\$\{|\{\{)/;

function literalSecrets(value: unknown, path: string, found: string[], parent?: Record<string, unknown>): void {
  if (typeof value === "string") {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) found.push(`${path}: private key block`);
    const field = path.split(".").pop() ?? "";
    // External Secrets' `secretKey` names the key it writes, next to the `remoteRef` it reads.
    const externalSecretKey = field === "secretKey" && parent !== undefined && "remoteRef" in parent;
    if (SECRET_FIELD.test(field) && !externalSecretKey && value !== "" && !REFERENCE.test(value)) found.push(`${path}: literal ${field}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      // Helm values are a YAML document inside a string: scan what it holds.
      const document = path.endsWith(".values") && typeof item === "string" ? parse(item) : item;
      literalSecrets(document, `${path}[${i}]`, found);
    });
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) literalSecrets(child, `${path}.${key}`, found, value as Record<string, unknown>);
  }
}

describe("no secret in the synthesized JSON", () => {
  test.each(ENVIRONMENTS.map((source) => [source.config.name, source.config]))("%s", (_name, config) => {
    const found: string[] = [];
    literalSecrets(synthEnvironment(config).parsed, "$", found);
    expect(found).toEqual([]);
  });

  test("the scan catches literal secrets in JSON, inside Helm values and in PEM blocks", () => {
    const found: string[] = [];
    const release = { values: ["auth: true\nredisPassword: hunter2\nbackups:\n  s3:\n    secretKey: abc123\n"] };
    literalSecrets({ resource: { x: { password: "hunter2-hunter2" }, y: release } }, "$", found);
    literalSecrets({ key: "-----BEGIN RSA PRIVATE KEY-----\nMIIE..." }, "$", found);
    expect(found).toEqual([
      "$.resource.x.password: literal password",
      "$.resource.y.values[0].redisPassword: literal redisPassword",
      "$.resource.y.values[0].backups.s3.secretKey: literal secretKey",
      "$.key: private key block",
    ]);
  });

  test("the scan lets references through", () => {
    const found: string[] = [];
    const values = "existingSecret: redis-auth\nauthKey: auth\ndata:\n  - secretKey: ACCESS_KEY_ID\n    remoteRef: { key: x }\npassword: '{{ .password }}'\n";
    literalSecrets({ resource: { y: { values: [values] }, z: { token: "${var.token}" } } }, "$", found);
    expect(found).toEqual([]);
  });
});
