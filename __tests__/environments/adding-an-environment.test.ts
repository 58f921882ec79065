import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyProject } from "../../scripts/project-copy";

// The README's promise, end to end: copy environments/dev.ts to environments/qa.ts,
// rename it, and the program synthesizes a `qa` stack that CI's matrix lists, with
// no other edit. Runs in a copy of the project, as a user would, through the bundle
// and its cache (scripts/build.mjs --run, what `npm run synth` and cdktf.json's app run):
// an edited input or a new environment file is never answered with the old bundle.

const ROOT = path.join(__dirname, "..", "..");
let copy: string;

function run(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: undefined },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  copy = copyProject(ROOT, fs.mkdtempSync(path.join(os.tmpdir(), "platform-qa-")));
  const dev = fs.readFileSync(path.join(copy, "environments", "dev.ts"), "utf8");
  const qa = dev.replace(/\bdev\b/g, "qa");
  fs.writeFileSync(path.join(copy, "environments", "qa.ts"), qa);
}, 30_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

function stackJson(name: string) {
  return JSON.parse(fs.readFileSync(path.join(copy, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8"));
}

/** Identifies the bundle file: a rebuild writes a new file and renames it over the old one. */
function bundleIdentity(entry: string): string {
  const stat = fs.statSync(path.join(copy, "dist", `${entry}.js`));
  return `${stat.ino}:${stat.mtimeMs}`;
}

/** The stacks CI's matrix lists, as `name environment kind`. */
function matrix(args: string[] = []): string[] {
  const printed = run("scripts/build.mjs", ["--run", "stacks", ...args]);
  expect(printed.stderr).toBe("");
  // One JSON line: it goes to $GITHUB_OUTPUT as is.
  expect(printed.stdout.split("\n")).toEqual([expect.stringMatching(/^\[.*\]$/), ""]);
  const entries = JSON.parse(printed.stdout) as Array<{ name: string; environment: string; kind: string }>;
  return entries.map((entry) => `${entry.name} ${entry.environment} ${entry.kind}`);
}

const SHIPPED_MATRIX = [
  "dev dev platform",
  "dev-vault dev vault",
  "staging staging platform",
  "staging-vault staging vault",
  "production production platform",
  "production-vault production vault",
];

/** The shipped matrix with an environment's two stacks after dev's. */
function withEnvironments(...names: string[]): string[] {
  return [
    ...SHIPPED_MATRIX.slice(0, 2),
    ...names.flatMap((name) => [`${name} ${name} platform`, `${name}-vault ${name} vault`]),
    ...SHIPPED_MATRIX.slice(2),
  ];
}

test("a copied environments/qa.ts becomes a qa stack, its qa-vault stack and both in CI's matrix, without other edits", () => {
  expect(matrix()).toEqual(withEnvironments("qa"));
  const entries = JSON.parse(run("scripts/build.mjs", ["--run", "stacks"]).stdout) as Array<Record<string, unknown>>;
  expect(entries[3]).toMatchObject({
    vault: { caCertFile: "~/.vault/platform-qa-ca.pem", kubeconfigContext: "kubernetes-admin@platform-qa" },
  });
  expect(matrix(["--all"])[0]).toBe("local local platform");
  expect(run("scripts/build.mjs", ["--run", "stacks", "--help"]).stdout).toContain("usage: npm run -s stacks [-- --all]");
  expect(run("scripts/build.mjs", ["--run", "stacks", "--nope"])).toMatchObject({
    status: 1,
    stderr: expect.stringContaining("stacks: unknown argument --nope"),
  });

  const synth = run("scripts/build.mjs", ["--run", "main"]);
  expect(synth.stderr).not.toMatch(/problem|Error/);
  expect(synth.status).toBe(0);
  const stack = stackJson("qa");
  expect(stack.terraform.backend.s3.key).toBe("platform/qa.tfstate");
  expect(Object.keys(stack.resource.helm_release).length).toBeGreaterThan(10);
  const vault = stackJson("qa-vault");
  expect(vault.terraform.backend.s3.key).toBe("platform/qa-vault.tfstate");
  expect(vault.provider.vault[0].ca_cert_file).toBe('${pathexpand("~/.vault/platform-qa-ca.pem")}');
}, 30_000);

test("the bundle is reused while its inputs are unchanged, and an edited input or a new environment file rebuilds it", () => {
  const built = bundleIdentity("main");
  expect(run("scripts/build.mjs", ["main"]).status).toBe(0);
  expect(bundleIdentity("main")).toBe(built);
  const release = (stack: { resource: { helm_release: Record<string, { max_history: number }> } }) =>
    Object.values(stack.resource.helm_release)[0].max_history;
  expect(release(stackJson("qa"))).toBe(5);

  // An edit to a module the bundle includes: the next synth writes what the edited source says.
  const releaseSource = path.join(copy, "constructs", "helm", "platform-release.ts");
  const source = fs.readFileSync(releaseSource, "utf8");
  expect(source).toContain("DEFAULT_MAX_HISTORY = 5;");
  fs.writeFileSync(releaseSource, source.replace("DEFAULT_MAX_HISTORY = 5;", "DEFAULT_MAX_HISTORY = 7;"));
  const edited = run("scripts/build.mjs", ["--run", "main"]);
  expect(edited.status).toBe(0);
  expect(bundleIdentity("main")).not.toBe(built);
  expect(release(stackJson("qa"))).toBe(7);
  expect(release(stackJson("production"))).toBe(7);

  // A new file that the environments' glob require covers, though no input the bundle recorded changed.
  fs.writeFileSync(
    path.join(copy, "environments", "uat.ts"),
    fs.readFileSync(path.join(copy, "environments", "qa.ts"), "utf8").replace(/\bqa\b/g, "uat"),
  );
  try {
    expect(matrix()).toEqual(withEnvironments("qa", "uat"));
  } finally {
    fs.rmSync(path.join(copy, "environments", "uat.ts"));
  }
  expect(matrix()).toEqual(withEnvironments("qa"));
}, 30_000);

test("cdktf synth, diff and deploy run the same cached bundle as npm run synth", () => {
  const cdktf = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string };
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  expect(cdktf.app).toBe(scripts.synth);
  expect(scripts.synth).toBe("node scripts/build.mjs --run main");
});

test("fails when a file in environments/ declares no environment, naming it and the fix", () => {
  fs.writeFileSync(path.join(copy, "environments", "helpers.ts"), "export const shared = 1;\n");
  try {
    const result = run("scripts/build.mjs", ["--run", "stacks"]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      "environments/helpers.ts: the file declares no environment (got nothing; export its EnvironmentConfig as the default: `export default helpers;`, or, for shared code, add the file to LIBRARY_FILES in environments/index.ts)",
    );
  } finally {
    fs.rmSync(path.join(copy, "environments", "helpers.ts"));
  }
}, 30_000);
