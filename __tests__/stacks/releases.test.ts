import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { helmReleases } from "../support/releases";
import { synthEnvironment } from "../support/synth";

const CLUSTERS = [
  ["dev", dev],
  ["staging", staging],
  ["production", production],
] as const;

describe.each(CLUSTERS)("every Helm release of %s", (_name, config) => {
  const releases = helmReleases(synthEnvironment(config));

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
});
