import { parse } from "yaml";
import { ENVIRONMENTS } from "../../environments";
import { valuesYaml } from "../../constructs/helm/values-yaml";
import { resourcesOfType, synthEnvironment } from "../support/synth";
import { PlatformRelease } from "../../constructs/helm/platform-release";
import { Testing, TerraformStack } from "cdktf";

/** Helm reads values with go-yaml (YAML 1.1); our tools read 1.2. Both must see the same data. */
function readsBack(value: object): void {
  const text = valuesYaml(value);
  expect(parse(text, { version: "1.1" })).toEqual(value);
  expect(parse(text, { version: "1.2" })).toEqual(value);
}

describe("Helm values YAML", () => {
  test("every release of every stack reads back as the values that were passed", () => {
    for (const { config } of ENVIRONMENTS.filter((source) => source.config.target === "kubernetes")) {
      for (const release of Object.values(resourcesOfType(synthEnvironment(config), "helm_release"))) {
        const text = (release.values as string[])[0];
        expect(valuesYaml(parse(text))).toBe(text);
        expect(parse(text, { version: "1.1" })).toEqual(parse(text, { version: "1.2" }));
      }
    }
  });

  test.each([
    ["words YAML 1.1 reads as booleans", { a: "yes", b: "no", c: "on", d: "off", e: "Y", f: "true", g: "null", h: "~" }],
    ["number-like strings", { a: "0777", b: "1e3", c: "0x1F", d: "1_000", e: ".inf", f: "3.10", g: "-1", h: "+1", i: "" }],
    [
      "YAML indicators",
      {
        a: "- x",
        b: "a: b",
        c: "#x",
        d: "x #y",
        e: "&a",
        f: "*a",
        g: "!tag",
        h: "{x}",
        i: "[x]",
        j: "@x",
        k: "`x",
        l: "%x",
        m: "'q'",
        n: '"q"',
        o: "|x",
        p: ">x",
      },
    ],
    [
      "unusual keys",
      { "platform/pool": 1, "app.kubernetes.io/name": 2, "min-replicas-to-write": 3, "a b": 4, "": 5, "1": 6, yes: 7, "x:y": 8 },
    ],
    [
      "multi-line strings",
      {
        hcl: 'ui = true\n\nstorage "raft" {\n  path = "/vault/data"\n}\n',
        none: "a\nb",
        many: "a\n\n\n",
        lead: "  indented\nnext\n",
        blank: "\nstarts blank\n",
        trail: "a \nb\n",
        tab: "a\tb\nc",
      },
    ],
    [
      "nesting",
      {
        list: [1, "two", null, true, { a: [], b: {} }, [1, [2, []]], [{ x: 1, y: [{ z: "q\nr\n" }] }]],
        empty: {},
        none: [],
        deep: { a: { b: { c: [{ d: { e: "f" } }] } } },
      },
    ],
    ["scalars", { n: null, t: true, f: false, i: 42, x: -3.5, big: 1e21, small: 1e-7, u: "ünïcødé ✓", ctl: "bell\u0007" }],
  ])("%s read back unchanged under YAML 1.1 and 1.2", (_why, value) => {
    readsBack(value);
  });

  test("a top-level empty map or list", () => {
    expect(valuesYaml({})).toBe("{}\n");
    expect(valuesYaml([])).toBe("[]\n");
  });

  test("reads like hand-written values: block style, literal blocks, no anchors", () => {
    const shared = [{ key: "platform/pool", operator: "Exists" }];
    expect(valuesYaml({ server: { tolerations: shared, config: "a = 1\nb = 2\n" }, injector: { tolerations: shared } })).toBe(
      [
        "server:",
        "  tolerations:",
        "  - key: platform/pool",
        "    operator: Exists",
        "  config: |",
        "    a = 1",
        "    b = 2",
        "injector:",
        "  tolerations:",
        "  - key: platform/pool",
        "    operator: Exists",
        "",
      ].join("\n"),
    );
  });

  test("a release passes exactly this YAML to Helm", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const release = new PlatformRelease(stack, "r", {
      name: "r",
      namespace: "n",
      source: { chart: "c", repository: "https://x", version: "1.0.0" },
      values: { a: "yes" },
    });
    expect(release.valuesYaml).toBe('a: "yes"\n');
  });
});
