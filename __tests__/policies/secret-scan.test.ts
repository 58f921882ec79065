import { hasHighEntropyToken, isSecretLiteral, keyWords, shannonEntropy } from "../../policies/secret-scan";

describe("secret-looking keys", () => {
  test("keys split into words across camelCase, snake_case, kebab-case and dots", () => {
    expect(keyWords("existingSecretPasswordKey")).toEqual(["existing", "secret", "password", "key"]);
    expect(keyWords("AWS_SECRET_ACCESS_KEY")).toEqual(["aws", "secret", "access", "key"]);
    expect(keyWords("tls.key")).toEqual(["tls", "key"]);
    expect(keyWords("apiKey")).toEqual(["api", "key"]);
  });

  test.each([
    ["password", "correct-horse"],
    ["adminPassword", "changeme"],
    ["DB_PASSWORD", "hunter2"],
    ["devRootToken", "root"],
    ["api_key", "abc"],
    ["apiKey", "abc"],
    ["clientSecret", "Zx8-not-a-name"],
    ["secret_key", "wJalrXUtnFEMI/K7MDENG"],
    ["privateKey", "MIIEowIBAAKCAQEA"],
  ])("%s: %s is a literal secret", (key, value) => {
    expect(isSecretLiteral(key, value)).toBe(true);
  });

  test.each([
    ["existingSecret", "vault-unseal", "the name of a Secret"],
    ["superuserSecret", "pg-superuser", "the name of a Secret"],
    ["secretKey", "db-password", "ExternalSecret: the key in the target Secret"],
    ["secretKey", "ACCESS_SECRET_KEY", "a key name in env-var style"],
    ["existingSecretPasswordKey", "redis-password", "the key that holds the password"],
    ["authKey", "auth", "the key that holds the password"],
    ["key", "password", "secretKeyRef.key"],
    ["secretName", "vault-tls", "a name"],
    ["passwordSecretRef", "pg-app", "a reference"],
    ["clientSecret", "$oidc.keycloak.clientSecret", "Argo CD's reference into argocd-secret"],
    ["password", "{{ .Values.global.password }}", "a chart template"],
    ["token", "vault:secret/data/ci#token", "a Vault path"],
    ["passwordLength", "24", "not a password field"],
  ])("%s: %s is not (%s)", (key, value) => {
    expect(isSecretLiteral(key, value)).toBe(false);
  });
});

describe("high-entropy strings", () => {
  test("entropy is measured in bits per character", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });

  test.each([
    ["a 32-character random token", ["ToCynx5Se4e2", "PtoZxEhW7lUJ", "cOX15c54"].join("")],
    ["an AWS-style secret key", ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"].join("/")],
    ["a random hex key", ["9f86d081884c7d65", "9a2feaa0c55ad015", "a3bf4f1b2b0b822c"].join("")],
  ])("%s is flagged", (_what, value) => {
    expect(hasHighEntropyToken(value)).toBe(true);
  });

  test.each([
    ["words joined by dashes", "platform-external-secrets-controller"],
    ["a CamelCase identifier", "PlatformServicesRelease2026"],
    ["a digest", `ghcr.io/example/api@sha256:${"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}`],
    ["a kubeconfig context", "kubernetes-admin@platform-production"],
    ["a short random string", "lWxxtmzKD78tmCP8tIcQ"],
  ])("%s is not", (_what, value) => {
    expect(hasHighEntropyToken(value)).toBe(false);
  });
});
