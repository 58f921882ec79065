import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { GENERATED_PASSWORD } from "../../constructs/external-secrets/generated-secret";
import { Json, helmReleases, stackOf } from "../support/releases";

const CLUSTERS = [
  ["dev", dev],
  ["staging", staging],
  ["production", production],
] as const;

/** Keys whose value would be a credential if it were written literally. */
const CREDENTIAL_KEY = /(password|passwd|token|secretkey|accesskey)$/i;

function credentials(value: Json, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => credentials(item, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(CREDENTIAL_KEY.test(key) && typeof child === "string" && child !== "" && child !== GENERATED_PASSWORD ? [`${path}.${key}`] : []),
    ...credentials(child, `${path}.${key}`),
  ]);
}

describe.each(CLUSTERS)("every Helm release of %s", (_name, config) => {
  const releases = helmReleases(stackOf(config));

  test("pins an exact chart version from a repository or the project's own chart", () => {
    expect(releases.length).toBeGreaterThanOrEqual(5);
    for (const { attributes } of releases) {
      expect(attributes.version).toMatch(/^\d+\.\d+\.\d+$/);
      if (attributes.repository === undefined) expect(attributes.chart).toMatch(/^assets\/platform-manifests-chart\//);
      else expect(attributes.repository).toMatch(/^(https|oci):\/\//);
    }
  });

  test("installs atomically, cleans up on failure, waits, and keeps a bounded history", () => {
    for (const { attributes } of releases) {
      expect(attributes).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true, max_history: 5 });
      expect(attributes.timeout).toBeGreaterThanOrEqual(300);
    }
  });

  test("has values that parse as one YAML mapping, written without anchors", () => {
    for (const { attributes, values } of releases) {
      expect(values).toEqual(expect.any(Object));
      expect((attributes.values as string[])[0]).not.toMatch(/(^|[\s-])[&*]a\d+\b/m);
    }
  });

  test("carries no credential", () => {
    expect(releases.flatMap(({ attributes, values }) => credentials(values).map((path) => `${attributes.name}${path}`))).toEqual([]);
  });
});

test("the credential check finds a literal password", () => {
  expect(credentials({ grafana: { adminPassword: "hunter2", admin: { passwordKey: "admin-password" } } })).toEqual([".grafana.adminPassword"]);
});
