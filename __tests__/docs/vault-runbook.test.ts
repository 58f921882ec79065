/**
 * docs/vault.md shows commands an operator types once, under pressure (first deploy, unsealing): every name,
 * mount, path, port and file they use must be what the code declares. Read from the synthesized dev and dev-vault
 * stacks (the runbook's examples are dev's) and from the stack list CI reads.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { dev } from "../../environments/dev";
import { ENVIRONMENTS } from "../../environments";
import { allStackNames, environmentStacks } from "../../stacks/stack-names";
import { resourcesOfType, synthEnvironment, synthVaultStack } from "../support/synth";
import { ROOT } from "./markdown";

const markdown = fs.readFileSync(path.join(ROOT, "docs", "vault.md"), "utf8");
/** The shell blocks, continuation lines joined. */
const shell = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1].replace(/\\\n\s*/g, "")).join("\n");
/** The `what the stack declares` table: resource type → names. */
const declaredTable = [...markdown.matchAll(/^\| `(vault_[a-z_]+)` \| `([^`]+)` \|/gm)].map((match) => ({
  type: match[1],
  name: match[2],
}));

const platform = synthEnvironment(dev);
const vault = synthVaultStack(dev);
const entry = environmentStacks({ file: "environments/dev.ts", config: dev })[1];
const access = dev.vaultAccess!;

const values = (type: string) => Object.values(resourcesOfType(vault, type));
const policies = new Map(values("vault_policy").map((policy) => [String(policy.name), String(policy.policy)]));
const rulePaths = (name: string) => [...(policies.get(name) ?? "").matchAll(/^path "([^"]+)"/gm)].map((match) => match[1]);
const roles = values("vault_kubernetes_auth_backend_role");
const kvMounts = values("vault_mount")
  .filter((mount) => mount.type === "kv" && (mount.options as Record<string, string>)?.version === "2")
  .map((mount) => String(mount.path));
const authMounts = values("vault_auth_backend").map((backend) => String(backend.path));
const manifests = Object.values(resourcesOfType(platform, "helm_release")).flatMap(
  (release) =>
    (parse((release.values as string[] | undefined)?.[0] ?? "{}") as { manifests?: Array<Record<string, any>> } | null)?.manifests ?? [],
);

/** Every capture of `pattern` in the runbook's shell blocks; fails when there is none, so a check cannot pass on nothing. */
function shown(pattern: RegExp): string[][] {
  const found = [...shell.matchAll(pattern)].map((match) => match.slice(1));
  expect([pattern.source, found.length > 0]).toEqual([pattern.source, true]);
  return found;
}

describe("docs/vault.md runs against what the code declares", () => {
  test("its commands name only policies the dev-vault stack declares (or Vault's default), and delete none of them", () => {
    for (const [name] of [...shown(/-policy=([\w-]+)/g), ...shown(/vault policy read ([\w-]+)/g)]) {
      expect([name, policies.has(name) || name === "default"]).toEqual([name, true]);
    }
    for (const [name] of [...shell.matchAll(/vault policy delete ([\w-]+)/g)]) expect([name, policies.has(name)]).toEqual([name, false]);
  });

  test("its roles and auth paths exist, on their auth mount", () => {
    for (const [mount, role] of shown(/auth\/([\w-]+)\/role\/([\w-]+)/g)) {
      expect(roles.filter((candidate) => candidate.backend === mount && candidate.role_name === role)).toHaveLength(1);
    }
    for (const [mount] of shown(/auth\/([\w-]+)\/config/g)) {
      expect(values("vault_kubernetes_auth_backend_config").map((config) => config.backend)).toContain(mount);
      expect(authMounts).toContain(mount);
    }
  });

  test("its secrets are at keys of the KV v2 mount that External Secrets is allowed to read", () => {
    for (const [mount, key] of shown(/vault kv (?:put|get|patch)(?: -field=\S+)? ([\w-]+)\/(\S+)/g)) {
      expect(kvMounts).toContain(mount);
      expect(rulePaths("external-secrets")).toContain(`${mount}/data/${key}`);
    }
  });

  test("its cdktf commands and stack directories name stacks the program builds", () => {
    const stacks = allStackNames(ENVIRONMENTS);
    for (const [stack] of [...shown(/cdktf (?:deploy|diff) ([\w-]+)/g), ...shown(/cdktf\.out\/stacks\/([\w-]+)/g)]) {
      expect(stacks).toContain(stack);
    }
    expect(shown(/cdktf deploy ([\w-]+)/g).map(([stack]) => stack)).toEqual(expect.arrayContaining(["dev", "dev-vault"]));
  });

  test("its port-forwards reach the namespace, Service, pods and port CI uses, on the environment's address", () => {
    const forward = entry.vault?.portForward;
    expect(forward).toBeDefined();
    for (const [namespace, kind, target, local, remote] of shown(/-n (\S+) port-forward (svc|pod)\/(\S+) (\d+):(\d+)/g)) {
      expect(namespace).toBe(forward?.namespace);
      expect(target).toMatch(kind === "svc" ? new RegExp(`^${forward?.service}$`) : /^vault-\d$/);
      expect([Number(local), Number(remote)]).toEqual([forward?.localPort, forward?.port]);
    }
    for (const [address] of shown(/VAULT_ADDR=(\S+)/g)) expect(address).toBe(access.address);
  });

  test("its CA comes from the Secret CI reads, into the file the environment file names", () => {
    const ca = entry.vault?.caSecret;
    for (const [namespace, secret] of shown(/-n (\S+) get secret (\S+)/g)) expect([namespace, secret]).toEqual([ca?.namespace, ca?.name]);
    for (const [key] of shown(/index \.data "([^"]+)"/g)) expect(key).toBe(ca?.key);
    const file = access.caCertFile.replace(/^~\//, "");
    for (const [written] of shown(/(?:~|"?\$HOME)\/(\.vault\/[\w.-]+)/g)) expect(written).toBe(file);
  });

  test("its kubectl commands use dev's context, External Secrets' store and the PostgreSQL backup ExternalSecret", () => {
    for (const [context] of shown(/--context (\S+)/g)) expect(context).toBe(dev.cluster.kubeconfigContext);
    const store = manifests.find((manifest) => manifest.kind === "ClusterSecretStore");
    for (const [name] of shown(/clustersecretstore (\S+)/g)) expect(name).toBe(store?.metadata.name);
    for (const [namespace, name] of shown(/-n (\S+) get externalsecret (\S+)/g)) {
      expect(
        manifests.filter(
          (manifest) => manifest.kind === "ExternalSecret" && manifest.metadata.namespace === namespace && manifest.metadata.name === name,
        ),
      ).toHaveLength(1);
    }
  });

  test("the CI token goes into the secret the workflows read for dev", () => {
    for (const [secret] of shown(/gh secret set (\S+)/g)) expect(secret).toBe(`VAULT_TOKEN_${entry.environment.toUpperCase()}`);
  });

  test("its table of what the stack declares names what dev-vault declares", () => {
    expect(declaredTable.length).toBeGreaterThanOrEqual(7);
    const declared: Record<string, (name: string) => boolean> = {
      vault_mount: (name) => kvMounts.includes(name),
      vault_auth_backend: (name) => authMounts.includes(name),
      vault_kubernetes_auth_backend_config: (name) =>
        values("vault_kubernetes_auth_backend_config").some((config) => `auth/${config.backend}/config` === name),
      vault_policy: (name) => policies.has(name),
      vault_kubernetes_auth_backend_role: (name) => roles.some((role) => role.role_name === name),
      vault_audit: (name) => values("vault_audit").some((audit) => audit.path === name),
    };
    for (const { type, name } of declaredTable) expect([type, name, declared[type]?.(name) ?? false]).toEqual([type, name, true]);
  });

  test("its table of the configuration policy lists that policy's paths, all of them, with their capabilities", () => {
    const section = markdown.slice(markdown.indexOf("### The configuration policy"), markdown.indexOf("## How Terraform reaches Vault"));
    const rows = [...section.matchAll(/^\| (`[^|]+) \| ([a-z, ]+) \|/gm)].map((match) => ({
      paths: [...match[1].matchAll(/`([^`]+)`/g)].map((path) => path[1]),
      capabilities: match[2].split(", "),
    }));
    const document = policies.get("platform-configuration") ?? "";
    const ruleOf = (rulePath: string) =>
      new RegExp(`^path "${rulePath.replace(/[*]/g, "\\*")}" \\{\\n {2}capabilities = \\[([^\\]]*)\\]`, "m").exec(document)?.[1];
    expect(rows.flatMap((row) => row.paths).sort()).toEqual(rulePaths("platform-configuration").sort());
    for (const row of rows) {
      const granted = new Set(row.paths.flatMap((rulePath) => JSON.parse(`[${ruleOf(rulePath) ?? ""}]`) as string[]));
      expect([row.paths, [...granted].sort()]).toEqual([row.paths, [...row.capabilities].sort()]);
    }
  });

  test("the secret paths it says External Secrets reads are the ones its policy holds", () => {
    const inline = [...markdown.matchAll(/`(platform\/data\/[^`\s]+)`/g)].map((match) => match[1]);
    expect(inline.length).toBeGreaterThan(0);
    for (const rulePath of inline) expect(rulePaths("external-secrets")).toContain(rulePath);
  });
});
