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

  test.each(ENVIRONMENTS.filter((s) => s.config.target === "kubernetes").map((s) => [s.config.name, s.config]))(
    "%s: every kind with recorded CRD facts keeps to its enums and fields, which a CRD would refuse or prune",
    (_name, config) => {
      const checked = customResources(config).filter(({ manifest }) => knownKinds().includes(`${manifest.apiVersion}/${manifest.kind}`));
      expect(checked.map(({ manifest }) => manifest.kind)).toEqual(
        expect.arrayContaining([
          "ClusterIssuer",
          "Certificate",
          "ClusterSecretStore",
          "SecretStore",
          "ExternalSecret",
          "Password",
          "PrometheusRule",
          "Kafka",
        ]),
      );
      expect(
        checked.flatMap(({ release, manifest }) =>
          crdViolations(manifest as { apiVersion: string; kind: string }).map((problem) => `${release}: ${problem}`),
        ),
      ).toEqual([]);
    },
  );

  test("the facts check notices a field cert-manager's CRD does not have, and a value outside an enum", () => {
    expect(
      crdViolations({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "x" },
        spec: { secretName: "x", issuerRef: { name: "ca" }, privateKey: { algorithm: "ECDSA", rotation: "Always" }, usages: ["server"] },
      } as never),
    ).toEqual([
      'cert-manager.io/v1/Certificate: spec.usages[0] is "server", not one of signing, digital signature, content commitment, key encipherment, key agreement, data encipherment, cert sign, crl sign, encipher only, decipher only, any, server auth, client auth, code signing, email protection, s/mime, ipsec end system, ipsec tunnel, ipsec user, timestamping, ocsp signing, microsoft sgc, netscape sgc',
      "cert-manager.io/v1/Certificate: spec.privateKey.rotation is not a field of the CRD",
    ]);
  });

  test("keys of a map field are free, fields beside it are not", () => {
    expect(
      crdViolations({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "x" },
        spec: { target: { name: "x", template: { data: { "any-key.pem": "{{ .value }}" }, dataa: "x" } } },
      } as never),
    ).toEqual(["external-secrets.io/v1/ExternalSecret: spec.target.template.dataa is not a field of the CRD"]);
  });

  test("every object of the app, the Clusters the cluster chart renders included, has only fields and values its CRD allows", () => {
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
