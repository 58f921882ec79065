import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { isEnabled } from "../../constructs/services";
import { ENVIRONMENTS, EnvironmentSource } from "../../environments";
import { DockerStack } from "../../stacks/docker-stack";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { postgresCloneInputs } from "../../stacks/postgres-clones";
import { VaultStack } from "../../stacks/vault-stack";
import { SHIPPED_STACKS } from "../support/shipped-stacks";
import { runSynth } from "../../stacks/run-synth";
import { devWithPool } from "../support/environments";

// What `npm run synth` leaves behind and prints: only stacks that match the sources,
// Terraform's working files kept across runs, one line per stack, every warning.

let outdir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "platform-run-")), "cdktf.out");
  out = [];
  err = [];
});
afterEach(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

/** The laptop and one cluster environment (with its Vault stack): what these tests need, at a third of the cost. */
const SOME: readonly EnvironmentSource[] = ENVIRONMENTS.filter((source) => ["local", "dev"].includes(source.config.name));

function synth(env: Record<string, string> = {}, sources = SOME): number {
  return runSynth(sources, { env, outdir, print: (text) => out.push(text), printError: (text) => err.push(text) });
}

const broken = [
  ...SOME.filter((source) => source.config.name !== "dev"),
  { file: "environments/dev.ts", config: devWithPool(0, { desiredNodes: 4 }) },
];

test("prints one line per stack written, then the warnings, all on standard output", () => {
  expect(synth({}, ENVIRONMENTS)).toBe(0);
  expect(err).toEqual([]);
  const lines = out.join("\n").split("\n");
  expect(lines[0]).toBe(`Synthesized 7 stacks into ${outdir}:`);
  expect(lines[2]).toMatch(
    new RegExp(
      `^  dev: ${outdir}/stacks/dev/cdk\\.tf\\.json \\(\\d+ resources, state s3://platform-terraform-state/platform/dev\\.tfstate\\)$`,
    ),
  );
  // Each environment's Vault stack right after it, with its own state key.
  expect(lines[3]).toMatch(
    new RegExp(
      `^  dev-vault: ${outdir}/stacks/dev-vault/cdk\\.tf\\.json \\(\\d+ resources, state s3://platform-terraform-state/platform/dev-vault\\.tfstate\\)$`,
    ),
  );
  expect(lines).toContain("warning: dev/vault: Vault runs a single raft voter (replicas: 1): no failover; acceptable in development only");
  // The only thing on standard error is a failure: the cdktf CLI shows the app's stderr as [ERROR].
});

test("fails when a synth breaks: nothing new is written and an earlier run's stacks are removed, Terraform's files kept", () => {
  expect(synth()).toBe(0);
  const terraformDir = path.join(outdir, "stacks", "dev", ".terraform");
  fs.mkdirSync(terraformDir);
  fs.writeFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "# providers\n");
  expect(synth({}, broken)).toBe(1);
  expect(err.join("\n")).toContain("environments/dev.ts: nodePools[0].desiredNodes: desiredNodes is above maxNodes (got 4;");
  expect(err.join("\n")).toContain(`Removed the stacks an earlier synth left in ${outdir}: dev, dev-vault, local.`);
  for (const stack of ["local", "dev", "dev-vault"]) expect(fs.existsSync(path.join(outdir, "stacks", stack, "cdk.tf.json"))).toBe(false);
  expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(false);
  expect(fs.existsSync(terraformDir)).toBe(true);
  expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"))).toBe(true);
  // No dev directory is left beside the output.
  expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
});

test("a successful synth keeps each stack's Terraform working files and drops stacks no longer declared", () => {
  expect(synth()).toBe(0);
  fs.mkdirSync(path.join(outdir, "stacks", "dev", ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "# providers\n");
  fs.mkdirSync(path.join(outdir, "stacks", "gone"));
  fs.writeFileSync(path.join(outdir, "stacks", "gone", "cdk.tf.json"), "{}");
  expect(synth()).toBe(0);
  expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform", "providers"))).toBe(true);
  expect(fs.readFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "utf8")).toBe("# providers\n");
  expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["dev", "dev-vault", "local"]);
  expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
});

test("warns when a stack initialised with shared state now declares local state: --migrate-state would copy one over the other", () => {
  expect(synth()).toBe(0);
  fs.mkdirSync(path.join(outdir, "stacks", "dev", ".terraform"));
  fs.writeFileSync(
    path.join(outdir, "stacks", "dev", ".terraform", "terraform.tfstate"),
    JSON.stringify({
      version: 3,
      backend: { type: "s3", config: { bucket: "platform-terraform-state", key: "platform/dev.tfstate" } },
    }),
  );
  out = [];
  expect(synth({ PLATFORM_LOCAL_STATE: "1" })).toBe(0);
  expect(out.join("\n")).toContain(
    `warning: dev: ${outdir}/stacks/dev was initialised with s3 state (platform/dev.tfstate) and now declares local state terraform.dev.tfstate. Do not pass --migrate-state to cdktf or terraform: it would copy one state over the other. Start the new backend clean with: terraform -chdir=${outdir}/stacks/dev init -reconfigure`,
  );
  out = [];
  expect(synth()).toBe(0);
  expect(out.join("\n")).not.toContain("was initialised with");
});

test("warns the same for a Vault stack, which has its own state key", () => {
  expect(synth()).toBe(0);
  fs.mkdirSync(path.join(outdir, "stacks", "dev-vault", ".terraform"));
  fs.writeFileSync(
    path.join(outdir, "stacks", "dev-vault", ".terraform", "terraform.tfstate"),
    JSON.stringify({ version: 3, backend: { type: "s3", config: { key: "platform/dev-vault.tfstate" } } }),
  );
  out = [];
  expect(synth()).toBe(0);
  expect(out.join("\n")).not.toContain("was initialised with");
  expect(synth({ PLATFORM_LOCAL_STATE: "1" })).toBe(0);
  expect(out.join("\n")).toContain(
    `warning: dev-vault: ${outdir}/stacks/dev-vault was initialised with s3 state (platform/dev-vault.tfstate) and now declares local state terraform.dev-vault.tfstate.`,
  );
});

/** Every file below `dir`, by relative path. */
function filesBelow(dir: string, prefix = ""): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [file, bytes] of filesBelow(dir, relative)) files.set(file, bytes);
    else files.set(relative, fs.readFileSync(path.join(dir, relative)));
  }
  return files;
}

test("writes every stack byte for byte as cdktf's own synth of the same stacks, without the policies' shared JSON", () => {
  expect(synth({}, ENVIRONMENTS)).toBe(0);
  // The same stacks, built without the policy aspect: cdktf resolves and writes each stack on its own.
  const reference = path.join(path.dirname(outdir), "reference");
  const app = new App({ outdir: reference });
  for (const source of ENVIRONMENTS) {
    const environment = source.config;
    if (environment.target === "docker") new DockerStack(app, { environment });
    else {
      new KubernetesStack(app, { environment, postgresClones: postgresCloneInputs(source, ENVIRONMENTS) });
      if (isEnabled(environment.services ?? {}, "vault")) new VaultStack(app, { environment, file: source.file });
    }
  }
  app.synth();
  const written = filesBelow(path.join(outdir, "stacks"));
  const expected = filesBelow(path.join(reference, "stacks"));
  expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
  expect([...written.keys()].filter((file) => file.endsWith("cdk.tf.json"))).toHaveLength(SHIPPED_STACKS.length);
  for (const [file, bytes] of expected) expect({ file, same: written.get(file)?.equals(bytes) }).toEqual({ file, same: true });
});

describe("environment variables", () => {
  test.each([["1"], ["0"], [""]])("PLATFORM_LOCAL_STATE=%j is one of its documented values", (value) => {
    expect(synth({ PLATFORM_LOCAL_STATE: value })).toBe(0);
  });

  test("fails when PLATFORM_LOCAL_STATE is true, which must not silently mean shared state", () => {
    expect(synth({ PLATFORM_LOCAL_STATE: "true" })).toBe(1);
    expect(err).toEqual([
      [
        "1 environment variable problem; nothing was synthesized:",
        '  environment variable: PLATFORM_LOCAL_STATE: is not one of its documented values (got "true"; use 1 to keep every stack\'s state in a local file terraform.<stack>.tfstate, or 0 or unset for the state each environment declares)',
      ].join("\n"),
    ]);
    expect(fs.existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  test("fails when CDKTF_TOKEN_STACK_TRACES is not 1 or 0", () => {
    expect(synth({ CDKTF_TOKEN_STACK_TRACES: "yes" })).toBe(1);
    expect(err.join("\n")).toContain(
      'environment variable: CDKTF_TOKEN_STACK_TRACES: is not one of its documented values (got "yes"; use 1 to record',
    );
  });

  test("fails when a PLATFORM_ variable is none the program reads, as a misspelling would be", () => {
    expect(synth({ PLATFORM_LOCALSTATE: "1" })).toBe(1);
    expect(err.join("\n")).toContain(
      'environment variable: PLATFORM_LOCALSTATE: is not a variable the program reads (got "1"; unset it; the program reads PLATFORM_LOCAL_STATE and CDKTF_TOKEN_STACK_TRACES)',
    );
  });
});
