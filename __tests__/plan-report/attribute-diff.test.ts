import { classify } from "../../tools/plan-report/actions";
import { AttributeChange, diffAttributes } from "../../tools/plan-report/attribute-diff";
import { attributeLines, formatPath, MAX_ATTRIBUTES_PER_ADDRESS } from "../../tools/plan-report/format-attributes";
import { Change, ResourceChange } from "../../tools/plan-report/plan-json";
import { loadFixtures } from "./support";

function change(partial: Partial<Change>): Change {
  return { actions: ["update"], before: null, after: null, ...partial };
}

function byPath(changes: readonly AttributeChange[]): Record<string, [string, string]> {
  const describe = (value: AttributeChange["before"]) => (value.kind === "value" ? JSON.stringify(value.value) : value.kind);
  return Object.fromEntries(changes.map((item) => [formatPath(item.path), [describe(item.before), describe(item.after)]]));
}

describe("changed attributes", () => {
  test("names nested leaves and leaves unchanged ones out", () => {
    const result = diffAttributes(
      change({
        before: {
          name: "vault",
          values: ["a: 1\n"],
          metadata: { labels: { "platform/pool": "system", app: "vault" } },
        },
        after: { name: "vault", values: ["a: 2\n"], metadata: { labels: { "platform/pool": "apps", app: "vault" } } },
      }),
    );
    expect(byPath(result)).toEqual({
      "values[0]": ['"a: 1\\n"', '"a: 2\\n"'],
      'metadata.labels["platform/pool"]': ['"system"', '"apps"'],
    });
  });

  test("a value marked sensitive on either side is never returned, even when the other side is not marked", () => {
    const result = diffAttributes(
      change({
        before: { password: "old-secret", token: "plain-before", set_sensitive: [{ name: "a", value: "x1" }] },
        after: { password: "new-secret", token: "marked-after", set_sensitive: [{ name: "a", value: "x2" }] },
        before_sensitive: { password: true, set_sensitive: [{ value: true }] },
        after_sensitive: { password: true, token: true, set_sensitive: [{ value: true }] },
      }),
    );
    expect(byPath(result)).toEqual({
      password: ["sensitive", "sensitive"],
      token: ["sensitive", "sensitive"],
      "set_sensitive[0].value": ["sensitive", "sensitive"],
    });
  });

  test("a sensitive value that did not change is not listed", () => {
    const result = diffAttributes(
      change({
        before: { password: "same" },
        after: { password: "same" },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      }),
    );
    expect(result).toEqual([]);
  });

  test("a whole object shown at once is masked, both sides, when any part of it is sensitive", () => {
    const result = diffAttributes(
      change({
        before: { settings: "none" },
        after: { settings: { user: "admin", password: "p4ssw0rd" } },
        after_sensitive: { settings: { password: true } },
      }),
    );
    expect(byPath(result)).toEqual({ settings: ["sensitive", "sensitive"] });
  });

  test("unknown values, including attributes absent from `after`, are known after apply", () => {
    const result = diffAttributes(
      change({
        before: { id: "abc", input: "static" },
        after: { input: null },
        after_unknown: { id: true, input: true, output: true },
      }),
    );
    expect(byPath(result)).toEqual({
      id: ['"abc"', "unknown"],
      input: ['"static"', "unknown"],
      output: ["absent", "unknown"],
    });
  });

  test("null and a missing attribute are the same: not a change", () => {
    expect(diffAttributes(change({ before: { a: null, b: 1 }, after: { b: 1 } }))).toEqual([]);
  });

  test("lists that grow or shrink list each index", () => {
    expect(byPath(diffAttributes(change({ before: { ports: [80] }, after: { ports: [80, 443] } })))).toEqual({
      "ports[1]": ["absent", "443"],
    });
  });

  test("marks the attributes in replace_paths, and only those", () => {
    const result = diffAttributes(
      change({
        actions: ["delete", "create"],
        before: { set: [{ value: "a" }, { value: "b" }], name: "x" },
        after: { set: [{ value: "a2" }, { value: "b2" }], name: "y" },
        replace_paths: [["set", 1]],
      }),
    );
    expect(result.map((item) => [formatPath(item.path), item.forcesReplacement])).toEqual([
      ["set[0].value", false],
      ["set[1].value", true],
      ["name", false],
    ]);
  });
});

describe("attribute lines", () => {
  const secret = "hunter2-long-secret";

  test("mask a value that contains a secret marked elsewhere in the plans", () => {
    // terraform_data copies a sensitive input into `output` without the mark: the real fixture shows it.
    const [plan] = loadFixtures({ dev: "every-action.json" });
    const secretChange = (plan.plan.resource_changes ?? []).find(
      (resource) => resource.address === "terraform_data.secret",
    ) as ResourceChange;
    expect(JSON.stringify(secretChange.change.before)).toContain("s3cr3t-version-1");
    expect(secretChange.change.before_sensitive).toEqual({ input: true });

    const lines = attributeLines(diffAttributes(secretChange.change), new Set(["s3cr3t-version-1", "s3cr3t-version-2"])).join("\n");
    expect(lines).not.toContain("s3cr3t");
    expect(lines).toContain("- `output`: _(sensitive value)_ → _(known after apply)_");
  });

  test("without that secret, the same value would be shown (the test above can fail)", () => {
    const lines = attributeLines(
      [
        {
          path: ["output"],
          before: { kind: "value", value: secret },
          after: { kind: "unknown" },
          forcesReplacement: false,
        },
      ],
      new Set(),
    );
    expect(lines).toEqual([`  - \`output\`: \`"${secret}"\` → _(known after apply)_`]);
  });

  test("show a multi-line value as a line diff with context", () => {
    const lines = attributeLines(
      [
        {
          path: ["values", 0],
          before: { kind: "value", value: "server:\n  ha:\n    replicas: 3\n  ui: true\n" },
          after: { kind: "value", value: "server:\n  ha:\n    replicas: 5\n  ui: true\n" },
          forcesReplacement: false,
        },
      ],
      new Set(),
    );
    expect(lines).toEqual([
      "  - `values[0]`: 2 lines changed",
      "",
      "    ```diff",
      "      server:",
      "        ha:",
      "    -     replicas: 3",
      "    +     replicas: 5",
      "        ui: true",
      "    ```",
      "",
    ]);
  });

  test("cut long values and long attribute lists", () => {
    const many: AttributeChange[] = Array.from({ length: MAX_ATTRIBUTES_PER_ADDRESS + 5 }, (_, index) => ({
      path: [`attribute_${index}`],
      before: { kind: "absent" },
      after: { kind: "value", value: "x".repeat(500) },
      forcesReplacement: false,
    }));
    const lines = attributeLines(many, new Set());
    expect(lines).toHaveLength(MAX_ATTRIBUTES_PER_ADDRESS + 1);
    expect(lines[0].length).toBeLessThan(160);
    expect(lines[lines.length - 1]).toBe("  - … and 5 more attributes (see the full plan)");
  });

  test("values with backticks stay inside their code span", () => {
    const lines = attributeLines(
      [
        {
          path: ["command"],
          before: { kind: "absent" },
          after: { kind: "value", value: "echo `date`" },
          forcesReplacement: false,
        },
      ],
      new Set(),
    );
    expect(lines).toEqual(['  - `command`: ``"echo `date`"``']);
  });
});

describe("classifying actions", () => {
  const resource = (actions: string[], extra: Partial<ResourceChange> = {}): ResourceChange => ({
    address: "a.b",
    type: "a",
    name: "b",
    change: change({ actions }),
    ...extra,
  });

  test.each([
    [["no-op"], "no-op", false],
    [["create"], "create", false],
    [["read"], "read", false],
    [["update"], "update", false],
    [["delete", "create"], "replace", true],
    [["create", "delete"], "replace", true],
    [["create", "forget"], "replace", false],
    [["delete"], "delete", true],
    [["forget"], "forget", false],
    [["delete", "explode"], "unrecognized", true],
  ])("%j is %s (destructive: %s)", (actions, kind, destructive) => {
    expect(classify(resource(actions))).toMatchObject({ kind, destructive });
  });

  test("an import or a move is recognised alongside the action", () => {
    const imported = classify(resource(["update"], { change: change({ actions: ["update"], importing: { id: "x" } }) }));
    expect(imported).toMatchObject({ kind: "update", importing: true, moved: false });
    expect(classify(resource(["no-op"], { previous_address: "a.old" }))).toMatchObject({ kind: "no-op", moved: true });
  });
});
