import { Testing } from "cdktf";
import { KubernetesEnvironmentConfig } from "../../environments";
import { dev } from "../../environments/dev";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { argoCdDomain, argoCdServerHost } from "../../constructs/argocd/kubernetes";

const ARGOCD_SERVER_HOST = argoCdServerHost("argocd", "argocd");
import { ArgoCdSpec, resolveArgoCd } from "../../constructs/argocd/spec";
import { argoCdValues } from "../../constructs/argocd/values";
import { placementOn, systemPoolOf } from "../../core/placement";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { devWithPool, problemsOf } from "../support/environments";
import { allowRules, clientRule, internetRule, namespaceLabels } from "../support/namespaces";
import { Json, at, dependsOn, helmRelease } from "../support/releases";
import { synthEnvironment } from "../support/synth";

function withArgoCd(base: KubernetesEnvironmentConfig, argocd: ArgoCdSpec | undefined): KubernetesEnvironmentConfig {
  return { ...base, services: { ...base.services, argocd } };
}

function argoCdProblems(config: KubernetesEnvironmentConfig): string[] {
  return problemsOf(config).filter((line) => line.includes("services.argocd."));
}

const SOURCE = { repoUrl: "https://github.com/acme/platform-apps.git", path: "environments/dev" };
const argocd = (config: KubernetesEnvironmentConfig) => helmRelease(synthEnvironment(config), "argocd");
const apps = (config: KubernetesEnvironmentConfig) => helmRelease(synthEnvironment(config), "argocd-apps");

describe("Argo CD validation", () => {
  test("fails when HA would need 3 nodes on a system pool that may shrink to 2", () => {
    expect(argoCdProblems(withArgoCd(dev, { source: SOURCE, highAvailability: true }))).toEqual([
      'environments/dev.ts: services.argocd.highAvailability: Argo CD HA needs 3 nodes for its hard anti-affinity, but the system pool "system" may shrink to 2 (got true; raise the system pool\'s minNodes to 3 or set highAvailability: false)',
    ]);
    const threeNodes = withArgoCd(devWithPool(0, { desiredNodes: 3, minNodes: 3 }), { source: SOURCE, highAvailability: true });
    expect(argoCdProblems(threeNodes)).toEqual([]);
  });

  test("fails when the repository, path or revision cannot be followed", () => {
    expect(
      argoCdProblems(withArgoCd(staging, { source: { repoUrl: "ftp://example.com/apps", path: "/etc", targetRevision: " " } })),
    ).toEqual([
      'environments/staging.ts: services.argocd.source.repoUrl: repository is not an https or ssh Git URL (got "ftp://example.com/apps"; use e.g. https://github.com/acme/platform-apps.git)',
      'environments/staging.ts: services.argocd.source.path: path must be a relative directory inside the repository (got "/etc"; e.g. environments/dev)',
      'environments/staging.ts: services.argocd.source.targetRevision: target revision is empty (got " "; use a branch, tag or commit)',
    ]);
    expect(argoCdProblems(withArgoCd(staging, { source: { ...SOURCE, path: "environments/../secrets" } }))).toHaveLength(1);
  });

  test("fails when the sync policy is unknown or the URL is not https", () => {
    expect(
      argoCdProblems(withArgoCd(staging, { source: SOURCE, syncPolicy: "sometimes" as never, url: "http://argocd.example.com" })),
    ).toEqual([
      'environments/staging.ts: services.argocd.syncPolicy: unknown sync policy (got "sometimes"; use "automated" or "manual")',
      'environments/staging.ts: services.argocd.url: URL is not https (got "http://argocd.example.com"; use e.g. https://argocd.dev.example.com)',
    ]);
  });

  test("passes an environment without Argo CD, which then installs none", () => {
    const without = withArgoCd(dev, undefined);
    expect(argoCdProblems(without)).toEqual([]);
    // Built, not synthesized: the construct tree shows what Terraform would receive.
    const stack = createEnvironmentStack(Testing.app(), { file: "environments/dev.ts", config: without }) as KubernetesStack;
    expect(stack.argocd).toBeUndefined();
    expect(stack.node.tryFindChild("argocd")).toBeUndefined();
    expect(stack.node.tryFindChild("kafka")).toBeDefined();
  });
});

describe("Argo CD defaults", () => {
  test("HA in production only, automated sync in development only, revision main", () => {
    const resolve = (tier: "development" | "staging" | "production") => resolveArgoCd({ source: SOURCE }, { tier, target: "kubernetes" });
    expect(resolve("development")).toEqual({
      source: { ...SOURCE, targetRevision: "main" },
      highAvailability: false,
      syncPolicy: "automated",
      url: undefined,
      values: {},
    });
    expect(resolve("staging")).toMatchObject({ highAvailability: false, syncPolicy: "manual" });
    expect(resolve("production")).toMatchObject({ highAvailability: true, syncPolicy: "manual" });
  });
});

describe("Argo CD on Kubernetes", () => {
  test("argo-cd and argocd-apps are pinned; the apps wait for the argo-cd release and its CRDs", () => {
    expect(argocd(dev).attributes).toMatchObject({
      chart: "argo-cd",
      repository: "https://argoproj.github.io/argo-helm",
      version: "10.1.1",
      namespace: "argocd",
    });
    expect(apps(dev).attributes).toMatchObject({
      chart: "argocd-apps",
      repository: "https://argoproj.github.io/argo-helm",
      version: "2.0.5",
      namespace: "argocd",
    });
    expect(dependsOn(apps(dev))).toEqual([argocd(dev).address]);
  });

  test("waits for kube-prometheus-stack: its ServiceMonitors need the Prometheus Operator's CRDs", () => {
    expect(dependsOn(argocd(dev))).toContain(helmRelease(synthEnvironment(dev), "kube-prometheus-stack").address);
  });

  test("production runs HA: replicated server, repo-server and ApplicationSet, Redis HA, hard anti-affinity", () => {
    expect(argocd(production).values).toMatchObject({
      global: { affinity: { podAntiAffinity: "hard" } },
      controller: { replicas: 1 },
      server: { replicas: 2, pdb: { enabled: true, minAvailable: 1 } },
      repoServer: { replicas: 2, pdb: { enabled: true, minAvailable: 1 } },
      applicationSet: { replicas: 2 },
      "redis-ha": {
        enabled: true,
        hardAntiAffinity: true,
        podDisruptionBudget: { maxUnavailable: 1 },
        haproxy: { hardAntiAffinity: true, podDisruptionBudget: { maxUnavailable: 1 } },
      },
    });
  });

  test("redis-ha, which ignores Argo CD's globals, is placed on the system pool explicitly", () => {
    expect(at(argocd(production).values, "redis-ha")).toMatchObject({
      nodeSelector: { "platform/pool": "system" },
      tolerations: [{ key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" }],
    });
  });

  test.each([
    ["dev", dev],
    ["staging", staging],
  ])("%s runs one replica of each component with a single Redis", (_name, config) => {
    expect(argocd(config).values).toMatchObject({
      global: { affinity: { podAntiAffinity: "soft" } },
      server: { replicas: 1, pdb: { enabled: false } },
      repoServer: { replicas: 1 },
      "redis-ha": { enabled: false },
    });
  });

  test("every component runs on the system pool, under the namespace's network policies and without Dex", () => {
    expect(argocd(dev).values).toMatchObject({
      global: {
        nodeSelector: { "platform/pool": "system" },
        tolerations: [{ key: "platform/pool", operator: "Equal", value: "system", effect: "NoSchedule" }],
        networkPolicy: { create: false },
      },
      dex: { enabled: false },
    });
    expect(namespaceLabels(dev, "argocd")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const rules = allowRules(dev, "argocd_namespace");
    expect(internetRule(rules)?.ports).toEqual([
      { port: "443", protocol: "TCP" },
      { port: "22", protocol: "TCP" },
    ]);
    expect(clientRule(rules, "argocd")?.ports).toEqual([{ port: "8080", protocol: "TCP" }]);
  });

  test("every component exports metrics through a ServiceMonitor", () => {
    for (const component of ["controller", "server", "repoServer", "applicationSet", "notifications"]) {
      expect(at(argocd(dev).values, component, "metrics")).toEqual({ enabled: true, serviceMonitor: { enabled: true } });
    }
  });

  test("no admin credential is set: Argo CD generates argocd-initial-admin-secret itself", () => {
    expect(at(argocd(production).values, "configs")).toBeUndefined();
  });

  test.each([
    ["dev", dev, "environments/dev", "main"],
    ["staging", staging, "environments/staging", "main"],
    ["production", production, "environments/production", "production"],
  ])("%s has its AppProject and a root Application following its Git path and revision", (name, config, path, targetRevision) => {
    const repoURL = "https://github.com/acme/platform-apps.git";
    expect(at(apps(config).values, "projects", name)).toEqual({
      namespace: "argocd",
      description: `Applications of the ${name} environment, synced from ${repoURL}`,
      sourceRepos: [repoURL],
      destinations: [{ server: "https://kubernetes.default.svc", namespace: "*" }],
      clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
    });
    expect(at(apps(config).values, "applications", "root")).toMatchObject({
      namespace: "argocd",
      project: name,
      source: { repoURL, path, targetRevision },
      destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
    });
  });

  test("dev syncs automatically with prune and self-heal; staging and production wait for a person", () => {
    expect(at(apps(dev).values, "applications", "root", "syncPolicy")).toEqual({ automated: { prune: true, selfHeal: true } });
    expect(at(apps(staging).values, "applications", "root", "syncPolicy")).toEqual({});
    expect(at(apps(production).values, "applications", "root", "syncPolicy")).toEqual({});
  });

  test("the root Application has no cascade-deleting finalizer", () => {
    expect(at(apps(dev).values, "applications", "root", "finalizers")).toBeUndefined();
  });

  test("a configured URL becomes the domain for links; the server's in-cluster address is an output", () => {
    const withUrl = resolveArgoCd({ source: SOURCE, url: "https://argocd.staging.example.com" }, { tier: "staging", target: "kubernetes" });
    const placement = placementOn(systemPoolOf(staging.nodePools));
    expect(
      at(
        argoCdValues(withUrl, { tier: "staging", placement, domain: argoCdDomain(withUrl, ARGOCD_SERVER_HOST), monitoring: true }) as Json,
        "global",
        "domain",
      ),
    ).toBe("argocd.staging.example.com");
    expect(at(argocd(dev).values, "global", "domain")).toBe(ARGOCD_SERVER_HOST);
    expect(synthEnvironment(dev).parsed.output?.argocd_server_url).toMatchObject({
      value: "https://argocd-server.argocd.svc.cluster.local",
    });
  });
});
