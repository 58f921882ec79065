import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../environments";
import { ConfigurationError } from "../../core/problems";
import { buildPlatformApp } from "../../stacks/platform-app";
import { runSynth } from "../../stacks/run-synth";
import { devWithPool } from "../support/environments";
import { SHIPPED_STACKS } from "../support/shipped-stacks";

// The module object cdktf calls, so that a spy on it sees its calls (an ES import would copy it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = require("child_process") as typeof import("child_process");

describe("platform app", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-synth-"));
    fs.rmSync(outdir, { recursive: true });
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("synthesizes one stack per environment, named after it, and a Vault stack after each cluster that runs Vault", () => {
    const app = buildPlatformApp(ENVIRONMENTS, { outdir });
    expect(app.node.children.map((child) => child.node.id)).toEqual(SHIPPED_STACKS);
    app.synth();
    const stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
    expect(stacks).toEqual(["dev", "dev-vault", "local", "production", "production-vault", "staging", "staging-vault"]);
    for (const stack of stacks) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json["//"].metadata.stackName).toBe(stack);
    }
  });

  test("synthesizes every stack without starting a process, so a machine without Terraform can, as the README promises", () => {
    // cdktf's DataResource, for one, runs `terraform version` in its validation: synth then fails where Terraform is missing.
    const spies = (["execSync", "execFileSync", "spawnSync", "exec", "execFile", "spawn", "fork"] as const).map((name) =>
      jest.spyOn(childProcess, name).mockName(name),
    );
    try {
      buildPlatformApp(ENVIRONMENTS, { outdir }).synth();
      expect(spies.flatMap((spy) => spy.mock.calls.map((call) => `${spy.getMockName()} ${String(call[0])}`))).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...SHIPPED_STACKS].sort());
  });

  test("an environment without Vault has no Vault stack", () => {
    const withoutVault = ENVIRONMENTS.map((source) =>
      source.config.name === "dev"
        ? {
            ...source,
            config: {
              ...source.config,
              services: { ...source.config.services, vault: { enabled: false }, postgres: { enabled: false } },
              // The teams receive their credentials through Vault.
              teams: [],
            },
          }
        : source,
    );
    const ids = buildPlatformApp(withoutVault, { outdir }).node.children.map((child) => child.node.id);
    expect(ids).toContain("dev");
    expect(ids).not.toContain("dev-vault");
    expect(ids).toContain("staging-vault");
  });

  test("fails on an invalid environment before writing anything", () => {
    const broken = ENVIRONMENTS.map((source) =>
      source.config.name === "dev" ? { ...source, config: devWithPool(0, { desiredNodes: 4 }) } : source,
    );
    expect(() => buildPlatformApp(broken, { outdir })).toThrow(ConfigurationError);
    expect(() => buildPlatformApp(broken, { outdir })).toThrow(
      "environments/dev.ts: nodePools[0].desiredNodes: desiredNodes is above maxNodes (got 4;",
    );
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("the synth run exits 1, prints every problem and writes nothing", () => {
    const broken = ENVIRONMENTS.map((source) =>
      source.config.name === "dev" ? { ...source, config: devWithPool(0, { desiredNodes: 4, flavor: "" }) } : source,
    );
    const printed: string[] = [];
    expect(
      runSynth(broken, { env: {}, print: (message) => printed.push(message), printError: (message) => printed.push(message), outdir }),
    ).toBe(1);
    expect(printed).toEqual([
      [
        "2 configuration problems; nothing was synthesized:",
        '  environments/dev.ts: nodePools[0].flavor: flavor is empty (got ""; set the instance flavor, e.g. b2-15; it cannot change after the pool exists)',
        "  environments/dev.ts: nodePools[0].desiredNodes: desiredNodes is above maxNodes (got 4; use a value from minNodes, 2, to maxNodes, 3, or raise maxNodes)",
      ].join("\n"),
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("PLATFORM_LOCAL_STATE=1 switches every stack to local state", () => {
    expect(
      runSynth(ENVIRONMENTS, { env: { PLATFORM_LOCAL_STATE: "1" }, print: () => undefined, printError: () => undefined, outdir }),
    ).toBe(0);
    const production = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "production", "cdk.tf.json"), "utf8"));
    expect(production.terraform.backend).toEqual({ local: { path: "../../../terraform.production.tfstate" } });
  });
});
