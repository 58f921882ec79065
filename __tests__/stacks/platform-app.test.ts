import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../environments";
import { ConfigurationError } from "../../environments/problems";
import { buildPlatformApp } from "../../stacks/platform-app";
import { devWithPool } from "../support/environments";

describe("platform app", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-synth-"));
    fs.rmSync(outdir, { recursive: true });
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("synthesizes one stack per environment, named after it", () => {
    buildPlatformApp(ENVIRONMENTS, { outdir }).synth();
    const stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
    expect(stacks).toEqual(["dev", "local", "production", "staging"]);
    for (const stack of stacks) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      expect(json["//"].metadata.stackName).toBe(stack);
    }
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
});
