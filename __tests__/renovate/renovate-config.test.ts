import * as fs from "fs";
import * as path from "path";
import { LOCAL_IMAGES } from "../../constructs/docker/images";
import { POSTGRES_IMAGE } from "../../constructs/postgres/chart";
import {
  coverageProblems,
  extract,
  MATCH_FIELDS,
  pinsInCode,
  re2Problems,
  readRenovateConfig,
  renderTemplate,
  repositoryFiles,
  ROOT,
} from "./renovate";

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), "utf8");
const config = readRenovateConfig();
const files = repositoryFiles();
/** The code Renovate should update: TypeScript outside the tests (their fixtures pin on purpose). */
const codeFiles = files.filter((file) => file.endsWith(".ts") && !file.startsWith("__tests__/"));

describe("renovate.json", () => {
  const managers = config.customManagers ?? [];

  test("its regex managers use what Renovate runs: /regex/ file patterns, RE2 syntax, named groups it knows", () => {
    expect(managers.length).toBeGreaterThan(0);
    for (const manager of managers) {
      expect(manager.customType).toBe("regex");
      for (const pattern of manager.managerFilePatterns) expect(pattern).toMatch(/^\/.+\/[a-z]*$/);
      for (const matchString of manager.matchStrings) {
        expect({ matchString, problems: re2Problems(matchString) }).toEqual({ matchString, problems: [] });
        const groups = [...matchString.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((match) => match[1]);
        const templates = Object.entries(manager)
          .filter(([key]) => key.endsWith("Template"))
          .map(([, value]) => String(value));
        // A group is a field Renovate fills, or one a template of this manager reads.
        const unused = groups.filter(
          (group) => !(MATCH_FIELDS as readonly string[]).includes(group) && !templates.some((t) => t.includes(group)),
        );
        expect({ matchString, unused }).toEqual({ matchString, unused: [] });
      }
      expect(manager.datasourceTemplate).toMatch(/^(helm|docker)$/);
    }
  });

  test("every Helm chart pin and every pinned image in the code is matched exactly once, and nothing else", () => {
    const pins = pinsInCode(codeFiles, read);
    expect(pins.untrackable).toEqual([]);
    // The finder sees the pins the code is known to hold, so an empty or partial list cannot pass silently.
    expect(pins.charts.length).toBeGreaterThanOrEqual(14);
    // cert-manager writes its chart versions with a leading v (v1.21.1): matched as written.
    expect(pins.charts.find((pin) => pin.chart === "cert-manager")?.version).toBe("v1.21.1");
    expect(pins.charts.some((pin) => pin.repository.startsWith("oci://"))).toBe(true);
    const images = pins.images.map((pin) => pin.image);
    for (const image of [...Object.values(LOCAL_IMAGES), POSTGRES_IMAGE]) expect(images).toContain(image);

    expect(coverageProblems(extract(config, files, read), pins.charts, pins.images)).toEqual([]);
  });

  describe("npm packages", () => {
    const rules = config.packageRules ?? [];
    const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const rulesFor = (name: string) => rules.filter((rule) => rule.matchPackageNames?.includes(name));

    test("cdktf and cdktf-cli stay at 0.21.0, the last release (CDKTF is archived): no updates for them", () => {
      expect(pkg.dependencies.cdktf).toBe("0.21.0");
      expect(pkg.devDependencies["cdktf-cli"]).toBe("0.21.0");
      for (const name of ["cdktf", "cdktf-cli"]) expect(rulesFor(name).some((rule) => rule.enabled === false)).toBe(true);
    });

    test("the @cdktf/* providers are grouped with cdktf", () => {
      const group = rules.find((rule) => rule.groupName === "cdktf");
      expect(group?.matchPackageNames).toEqual(expect.arrayContaining(["cdktf", "@cdktf/**"]));
      expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith("@cdktf/")).length).toBeGreaterThan(0);
    });

    test("typescript stays below 6 (TypeScript 7 breaks ts-node and ts-jest)", () => {
      expect(pkg.devDependencies.typescript).toMatch(/^5\.9\./);
      expect(rulesFor("typescript").map((rule) => rule.allowedVersions)).toContain("<6");
    });

    test("every rule and custom manager says why it is there", () => {
      for (const entry of [...rules, ...managers]) expect(entry.description?.length ?? 0).toBeGreaterThan(0);
    });
  });
});

describe("the Renovate coverage check", () => {
  const scratch = (content: string) => {
    const file = "constructs/demo/chart.ts";
    return {
      file,
      dependencies: extract(config, [file], () => content),
      pins: pinsInCode([file], () => content),
    };
  };

  test("follows chart pins on one line or several, chart or repository first, either quote", () => {
    const layouts = [
      'export const A: ChartSource = { repository: "https://charts.example.com", chart: "a", version: "1.2.3" };',
      'export const A: ChartSource = {\n  chart: "a",\n  repository: "https://charts.example.com",\n  version: "1.2.3",\n};',
      "export const A: ChartSource = {\n\trepository: 'oci://registry.example.com/charts',\n\tchart: 'a',\n\tversion: '1.2.3'\n};",
    ];
    for (const content of layouts) {
      const { dependencies, pins } = scratch(content);
      expect(pins.charts).toHaveLength(1);
      expect(coverageProblems(dependencies, pins.charts, pins.images)).toEqual([]);
    }
  });

  test("fails when a pin is laid out in a way no matchString follows", () => {
    const { dependencies, pins } = scratch(
      'export const A: ChartSource = { version: "1.2.3", chart: "a", repository: "https://charts.example.com" };',
    );
    expect(coverageProblems(dependencies, pins.charts, pins.images)).toEqual([
      "constructs/demo/chart.ts:1: chart a 1.2.3 from https://charts.example.com is matched 0 times by renovate.json's customManagers (expected once)",
    ]);
  });

  test("fails when an image is pinned where no manager looks", () => {
    const { dependencies, pins } = scratch('export const sidecar = { image: "busybox:1.37.0" };');
    expect(coverageProblems(dependencies, pins.charts, pins.images)).toEqual([
      "constructs/demo/chart.ts:1: image busybox:1.37.0 is matched 0 times by renovate.json's customManagers (expected once)",
    ]);
  });

  test("fails when a pin is matched twice, or a match is no pin", () => {
    const pin = { file: "f.ts", line: 1, image: "redis:8.10.1" };
    const twice = [0, 1].map((manager) => ({ file: "f.ts", manager, depName: "redis", currentValue: "8.10.1", datasource: "docker" }));
    expect(coverageProblems(twice, [], [pin])).toEqual([
      "f.ts:1: image redis:8.10.1 is matched 2 times by renovate.json's customManagers (expected once)",
    ]);
    expect(coverageProblems([{ file: "f.ts", manager: 0, depName: "kafka", currentValue: "19092", datasource: "docker" }], [], [])).toEqual(
      ['f.ts: customManagers[0] extracts {"depName":"kafka","currentValue":"19092","datasource":"docker"}, which is no pin the code holds'],
    );
  });

  test("refuses what the emulation does not model", () => {
    expect(re2Problems("(?<=x)a(?!b)\\1")).toEqual(["lookahead", "lookbehind", "backreference"]);
    expect(renderTemplate("{{{registry}}}/{{depName}}", { registry: "quay.io/x", depName: "y" })).toBe("quay.io/x/y");
    expect(() => renderTemplate("{{#if a}}b{{/if}}", { a: "1" })).toThrow("Handlebars beyond");
  });
});
