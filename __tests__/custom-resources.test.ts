import { ENVIRONMENTS } from "../environments";
import { buildPlatformApp } from "../stacks/platform-app";
import { renderedObjects } from "../tools/crd-facts";
import { crdViolations, knownKinds, missingRequiredFields } from "./support/crd";
import { resourcesOfType, synthEnvironment } from "./support/synth";
import { parse } from "yaml";

/** Every custom resource applied through the project's manifests chart, per stack. */
function customResources(config: (typeof ENVIRONMENTS)[number]["config"]) {
  const releases = Object.values(resourcesOfType(synthEnvironment(config), "helm_release"));
  return releases
    .filter((release) => String(release.chart).startsWith("assets/platform-manifests-chart/"))
    .flatMap((release) =>
      (parse((release.values as string[])[0]).manifests as Array<Record<string, any>>).map((manifest) => ({
        release: release.name,
        manifest,
      })),
    );
}

describe("custom resources carry their CRD's required fields", () => {
  test.each(ENVIRONMENTS.filter((s) => s.config.target === "kubernetes").map((s) => [s.config.name, s.config]))("%s", (_name, config) => {
    const problems = customResources(config).flatMap(({ release, manifest }) =>
      missingRequiredFields(manifest).map((path) => `${release}: ${manifest.kind}/${manifest.metadata.name}: ${path}`),
    );
    expect(problems).toEqual([]);
  });

  test("every object of a kind with recorded CRD facts has only fields and values its CRD allows", () => {
    const objects = renderedObjects(buildPlatformApp(ENVIRONMENTS));
    const checked = objects.filter((object) => knownKinds().includes(`${object.apiVersion}/${object.kind}`));
    // The PostgreSQL objects: ObjectStores, ScheduledBackups and the Clusters the cluster chart renders from plugins and roles.
    for (const kind of ["barmancloud.cnpg.io/v1/ObjectStore", "postgresql.cnpg.io/v1/ScheduledBackup", "postgresql.cnpg.io/v1/Cluster"]) {
      expect(checked.some((object) => `${object.apiVersion}/${object.kind}` === kind)).toBe(true);
    }
    expect(checked.flatMap((object) => crdViolations(object as { apiVersion: string; kind: string }))).toEqual([]);
  });

  test("the check notices a missing required field", () => {
    expect(
      missingRequiredFields({
        apiVersion: "generators.external-secrets.io/v1alpha1",
        kind: "Password",
        metadata: { name: "x" },
        spec: { length: 32 },
      }),
    ).toEqual(["spec.noUpper", "spec.allowRepeat"]);
    expect(
      missingRequiredFields({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "x" },
        spec: { data: [{ secretKey: "a", remoteRef: {} }] },
      }),
    ).toEqual(["spec.data[].remoteRef.key"]);
  });

  test("the check refuses a kind whose CRD facts are not recorded", () => {
    expect(() => missingRequiredFields({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "x" } })).toThrow(
      "no CRD facts recorded for example.com/v1/Widget",
    );
  });
});
