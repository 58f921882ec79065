/**
 * The backend block exactly as synthesized, run by the real Terraform against a
 * local S3-compatible server: proves the block initialises, writes the state
 * to the stack's key and takes and releases the lockfile.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dev } from "../../environments/dev";
import { synthEnvironment, synthVaultStack } from "../support/synth";
import { toolDecision } from "./ci";

// s3rver has no type declarations; its surface used here is small.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => LocalS3;
interface LocalS3 {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: "event", listener: (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) => void): void;
}

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const decision = toolDecision(
  {
    test: "the real state test",
    tool: "terraform",
    problem: terraform.error
      ? `${"code" in terraform.error && terraform.error.code === "ENOENT" ? "is not on PATH" : "cannot be started"} (${
          terraform.error.message
        })`
      : terraform.status !== 0
        ? `does not run (\`terraform version\` exited ${terraform.status}: ${terraform.stderr.trim()})`
        : undefined,
    install: "Install Terraform >= 1.10 to run it; CI installs 1.11.4 (see .github/workflows/pull-request.yml).",
  },
  process.env,
);
// Visible in the test output, so a skipped state test is never mistaken for a passing one.
if (decision.action === "skip") console.warn(decision.message);
if (decision.action === "fail") {
  test("remote state with the real Terraform: Terraform is installed", () => {
    throw new Error(decision.message);
  });
}

(decision.action === "run" ? describe : describe.skip)("remote state with the real Terraform", () => {
  const bucket = dev.state.backend === "s3" ? dev.state.bucket : "";
  let workdir: string;
  let server: LocalS3;
  let endpoint: string;
  const events: string[] = [];

  beforeAll(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-state-"));
    server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory: path.join(workdir, "s3"),
      configureBuckets: [{ name: bucket }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    server.on("event", (event) => {
      for (const record of event.Records) events.push(`${record.eventName} ${record.s3.object.key}`);
    });
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  // Asynchronous on purpose: the S3 server runs in this process and must keep answering.
  function run(args: string[], cwd: string): Promise<string> {
    const options = {
      cwd,
      encoding: "utf8" as const,
      env: {
        PATH: process.env.PATH,
        HOME: workdir,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        TF_CLI_CONFIG_FILE: path.join(workdir, "no.terraformrc"),
        // s3rver's fixed development credentials; they exist only in this process's environment.
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
      },
      timeout: 60_000,
    };
    return new Promise((resolve, reject) =>
      execFile("terraform", args, options, (error, stdout, stderr) =>
        error ? reject(new Error(`terraform ${args.join(" ")} failed:\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
  }

  test("init and apply write the state to <keyPrefix>/<stack>.tfstate, taking and releasing the lock", async () => {
    const state = { ...(dev.state as Extract<typeof dev.state, { backend: "s3" }>), endpoint };
    const backend = synthEnvironment({ ...dev, state }).parsed.terraform.backend;
    expect(Object.keys(backend)).toEqual(["s3"]);

    const probe = path.join(workdir, "probe");
    fs.mkdirSync(probe);
    fs.writeFileSync(
      path.join(probe, "main.tf.json"),
      JSON.stringify({
        terraform: { backend },
        resource: { terraform_data: { probe: { input: "state lands in object storage" } } },
      }),
    );
    await run(["init", "-input=false", "-no-color"], probe);
    await run(["apply", "-auto-approve", "-input=false", "-no-color"], probe);

    // Read back over the S3 API, as any other client of the bucket would.
    const object = await fetch(`${endpoint}/${bucket}/platform/dev.tfstate`);
    expect(object.status).toBe(200);
    const stored = (await object.json()) as { resources: Array<{ type: string; name: string }> };
    expect(stored.resources).toEqual([expect.objectContaining({ type: "terraform_data", name: "probe" })]);

    // use_lockfile: the lock object is written before the state and deleted after it.
    expect(events).toContain("ObjectCreated:Put platform/dev.tfstate.tflock");
    expect(events).toContain("ObjectRemoved:Delete platform/dev.tfstate.tflock");
    expect((await fetch(`${endpoint}/${bucket}/platform/dev.tfstate.tflock`)).status).toBe(404);
  });

  test("the Vault stack's backend writes its own object beside the platform's, which it leaves alone", async () => {
    const state = { ...(dev.state as Extract<typeof dev.state, { backend: "s3" }>), endpoint };
    const backend = synthVaultStack({ ...dev, state }).parsed.terraform.backend;
    const before = await (await fetch(`${endpoint}/${bucket}/platform/dev.tfstate`)).text();

    const probe = path.join(workdir, "vault-probe");
    fs.mkdirSync(probe);
    fs.writeFileSync(
      path.join(probe, "main.tf.json"),
      JSON.stringify({
        terraform: { backend },
        resource: { terraform_data: { vault_probe: { input: "Vault's configuration state" } } },
      }),
    );
    await run(["init", "-input=false", "-no-color"], probe);
    await run(["apply", "-auto-approve", "-input=false", "-no-color"], probe);

    const object = await fetch(`${endpoint}/${bucket}/platform/dev-vault.tfstate`);
    expect(object.status).toBe(200);
    const stored = (await object.json()) as { resources: Array<{ type: string; name: string }> };
    expect(stored.resources).toEqual([expect.objectContaining({ type: "terraform_data", name: "vault_probe" })]);
    expect(events).toContain("ObjectCreated:Put platform/dev-vault.tfstate.tflock");
    expect(await (await fetch(`${endpoint}/${bucket}/platform/dev.tfstate`)).text()).toBe(before);
  });
});
