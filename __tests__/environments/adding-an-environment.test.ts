import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The README's promise, end to end: copy environments/dev.ts to environments/qa.ts,
// rename it, and the program synthesizes a `qa` stack that CI's matrix lists, with
// no other edit. Runs in a copy of the project, as a user would, through the bundle.

const ROOT = path.join(__dirname, "..", "..");
let copy: string;

function projectFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\0").filter((file) => file !== "" && fs.existsSync(path.join(ROOT, file)));
}

function run(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: undefined },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "platform-qa-"));
  for (const file of projectFiles()) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  const dev = fs.readFileSync(path.join(copy, "environments", "dev.ts"), "utf8");
  const qa = dev.replace(/\bdev\b/g, "qa");
  fs.writeFileSync(path.join(copy, "environments", "qa.ts"), qa);
}, 30_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test("a copied environments/qa.ts becomes a qa stack, its qa-vault stack and both in CI's matrix, without other edits", () => {
  const stacks = run("scripts/build.mjs", ["stacks"]);
  expect(stacks.stderr).toBe("");
  const printed = run("dist/stacks.js");
  // One JSON line: it goes to $GITHUB_OUTPUT as is.
  expect(printed.stdout.split("\n")).toEqual([expect.stringMatching(/^\[.*\]$/), ""]);
  const entries = JSON.parse(printed.stdout) as Array<{ name: string; environment: string; kind: string }>;
  expect(entries.map((entry) => `${entry.name} ${entry.environment} ${entry.kind}`)).toEqual([
    "dev dev platform",
    "dev-vault dev vault",
    "qa qa platform",
    "qa-vault qa vault",
    "staging staging platform",
    "staging-vault staging vault",
    "production production platform",
    "production-vault production vault",
  ]);
  expect(entries[3]).toMatchObject({
    vault: { caCertFile: "~/.vault/platform-qa-ca.pem", kubeconfigContext: "kubernetes-admin@platform-qa" },
  });
  expect(JSON.parse(run("dist/stacks.js", ["--all"]).stdout)[0]).toEqual({ name: "local", environment: "local", kind: "platform" });
  expect(run("dist/stacks.js", ["--help"]).stdout).toContain("usage: npm run -s stacks [-- --all]");
  expect(run("dist/stacks.js", ["--nope"])).toMatchObject({
    status: 1,
    stderr: expect.stringContaining("stacks: unknown argument --nope"),
  });

  const build = run("scripts/build.mjs");
  expect(build.status).toBe(0);
  const synth = run("dist/main.js");
  expect(synth.stderr).not.toMatch(/problem|Error/);
  expect(synth.status).toBe(0);
  const stack = JSON.parse(fs.readFileSync(path.join(copy, "cdktf.out", "stacks", "qa", "cdk.tf.json"), "utf8"));
  expect(stack.terraform.backend.s3.key).toBe("platform/qa.tfstate");
  expect(Object.keys(stack.resource.helm_release).length).toBeGreaterThan(10);
  const vault = JSON.parse(fs.readFileSync(path.join(copy, "cdktf.out", "stacks", "qa-vault", "cdk.tf.json"), "utf8"));
  expect(vault.terraform.backend.s3.key).toBe("platform/qa-vault.tfstate");
  expect(vault.provider.vault[0].ca_cert_file).toBe('${pathexpand("~/.vault/platform-qa-ca.pem")}');
}, 30_000);

test("fails when a file in environments/ declares no environment, naming it and the fix", () => {
  fs.writeFileSync(path.join(copy, "environments", "helpers.ts"), "export const shared = 1;\n");
  try {
    expect(run("scripts/build.mjs", ["stacks"]).status).toBe(0);
    const result = run("dist/stacks.js");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      "environments/helpers.ts: the file declares no environment (got nothing; export its EnvironmentConfig as the default: `export default helpers;`, or, for shared code, add the file to LIBRARY_FILES in environments/index.ts)",
    );
  } finally {
    fs.rmSync(path.join(copy, "environments", "helpers.ts"));
  }
}, 30_000);
