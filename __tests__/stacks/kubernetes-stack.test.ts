import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { parse } from "yaml";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { resourcesOfType, synthEnvironment } from "../support/synth";

function nodePoolRelease(config: typeof dev) {
  const releases = Object.values(resourcesOfType(synthEnvironment(config), "helm_release"));
  return releases.find((release) => release.name === "node-pools");
}

function nodePoolManifests(config: typeof dev): Array<Record<string, any>> {
  const release = nodePoolRelease(config);
  return parse((release?.values as string[])[0]).manifests;
}

describe("providers", () => {
  test("kubernetes and helm use the environment's kubeconfig and context", () => {
    const stack = synthEnvironment(staging);
    const cluster = { config_path: "~/.kube/platform-staging.yaml", config_context: "kubernetes-admin@platform-staging" };
    expect(stack.json).toHaveProviderWithProperties(KubernetesProvider, cluster);
    expect(stack.json).toHaveProviderWithProperties(HelmProvider, { kubernetes: cluster });
    expect(stack.parsed.provider?.docker).toBeUndefined();
  });
});

describe("node pools", () => {
  test.each([
    [
      "dev",
      dev,
      [
        ["system", "b2-7", 2, 2, 3],
        ["applications", "b2-15", 2, 2, 5],
      ],
    ],
    [
      "staging",
      staging,
      [
        ["system", "b2-15", 3, 3, 5],
        ["applications", "b2-30", 3, 3, 8],
      ],
    ],
    [
      "production",
      production,
      [
        ["system", "b2-30", 3, 3, 5],
        ["applications", "b2-60", 5, 3, 15],
      ],
    ],
  ])("%s creates its OVHcloud NodePools with the sizes of the environment table", (_name, config, expected) => {
    const pools = nodePoolManifests(config).map((manifest) => {
      expect(manifest).toMatchObject({ apiVersion: "kube.cloud.ovh.com/v1alpha1", kind: "NodePool" });
      const { flavor, desiredNodes, minNodes, maxNodes } = manifest.spec;
      return [manifest.metadata.name, flavor, desiredNodes, minNodes, maxNodes];
    });
    expect(pools).toEqual(expected);
  });

  test("the system pool carries the placement label and the taint that keeps workloads off it", () => {
    const [system, applications] = nodePoolManifests(dev);
    expect(system.spec.template).toEqual({
      metadata: { labels: { "platform/pool": "system" }, annotations: {}, finalizers: [] },
      spec: { taints: [{ key: "platform/pool", value: "system", effect: "NoSchedule" }], unschedulable: false },
    });
    expect(applications.spec.template.spec.taints).toEqual([]);
  });

  test("production's system pool spreads over hypervisors", () => {
    expect(nodePoolManifests(production)[0].spec).toMatchObject({ antiAffinity: true, autoscale: true, maxNodes: 5 });
  });

  test("the pools go through the project's manifests chart with the release guard rails", () => {
    expect(nodePoolRelease(dev)).toMatchObject({
      chart: expect.stringMatching(/^assets\/platform-manifests-chart\/[0-9A-F]+$/),
      namespace: "kube-system",
      version: "1.0.0",
      atomic: true,
      cleanup_on_fail: true,
      max_history: 5,
      timeout: 300,
    });
  });

  test("only production refuses to destroy its node pools", () => {
    expect(nodePoolRelease(production)?.lifecycle).toEqual({ prevent_destroy: true });
    expect(nodePoolRelease(dev)?.lifecycle).toBeUndefined();
  });

  test("a generic cluster creates no node pools", () => {
    expect(nodePoolRelease({ ...dev, cluster: { ...dev.cluster, provider: "generic" } })).toBeUndefined();
  });
});
