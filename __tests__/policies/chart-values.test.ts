import { TerraformStack, Testing } from "cdktf";
import { waive } from "../../core/waivers";
import { dev } from "../../environments/dev";
import { KubernetesEnvironmentConfig } from "../../environments";
import { checkPolicies } from "../../policies/report";
import { createEnvironmentStack } from "../../stacks/platform-app";
import { fixtureStack } from "./support/fixture";
import {
  CNPG_CLUSTER,
  cnpgClusterValues,
  container,
  Fields,
  release,
  render,
  RESOURCES,
  SECURE_CONTEXT,
  VAULT,
  workload,
} from "./support/objects";

const DEFAULT_FIX = "or remove the value so that the platform's or the chart's default applies";

/** `<rule> <construct path>: <message>` of every error and warning of the app. */
function violations(stack: TerraformStack): string[] {
  const report = checkPolicies(stack.node.root);
  return [...report.errors, ...report.warnings].map((violation) => `${violation.ruleId} ${violation.path}: ${violation.message}`);
}

function withValues(values: Fields, source = VAULT): TerraformStack {
  const stack = fixtureStack("dev");
  release(stack, values, source, "vault");
  return stack;
}

describe("chart values: what the container rules report", () => {
  test("each weakening security-context field, with its values path and the fix", () => {
    const stack = withValues({
      server: {
        statefulSet: {
          securityContext: { pod: { runAsNonRoot: false }, container: { ...SECURE_CONTEXT, runAsUser: 0, allowPrivilegeEscalation: true } },
        },
      },
      injector: {
        securityContext: { container: { ...SECURE_CONTEXT, capabilities: { drop: ["NET_RAW"], add: ["SYS_ADMIN", "NET_BIND_SERVICE"] } } },
      },
      csi: { pod: { securityContext: { seccompProfile: { type: "Unconfined" } } } },
    });
    const at = "PLAT-K8S-00";
    expect(violations(stack)).toEqual([
      `${at}2 dev/vault/release: release "vault": values.server.statefulSet.securityContext.pod.runAsNonRoot is false; set it to true, ${DEFAULT_FIX}`,
      `${at}2 dev/vault/release: release "vault": values.server.statefulSet.securityContext.container.runAsUser is 0 (root); set a non-zero UID, ${DEFAULT_FIX}`,
      `${at}3 dev/vault/release: release "vault": values.server.statefulSet.securityContext.container.allowPrivilegeEscalation is true; set it to false, ${DEFAULT_FIX}`,
      `${at}4 dev/vault/release: release "vault": values.injector.securityContext.container.capabilities.drop is ["NET_RAW"], which keeps every other capability; set it to [ALL], ${DEFAULT_FIX}`,
      `${at}4 dev/vault/release: release "vault": values.injector.securityContext.container.capabilities.add includes SYS_ADMIN; add back at most NET_BIND_SERVICE`,
      `${at}5 dev/vault/release: release "vault": values.csi.pod.securityContext.seccompProfile.type is "Unconfined"; set RuntimeDefault (or Localhost with a profile), ${DEFAULT_FIX}`,
    ]);
  });

  test("privileged and host namespaces anywhere in values, as booleans or the strings --set writes", () => {
    const stack = withValues({
      server: {
        hostNetwork: true,
        hostPID: "true",
        hostIPC: false,
        statefulSet: { securityContext: { container: { ...SECURE_CONTEXT, privileged: true } } },
      },
      injector: { extraContainers: [{ name: "debug", securityContext: { privileged: "true" } }] },
    });
    expect(violations(stack)).toEqual([
      'PLAT-K8S-006 dev/vault/release: release "vault": values.server.hostNetwork is true, so the pods would share the node\'s namespaces; remove it',
      'PLAT-K8S-006 dev/vault/release: release "vault": values.server.hostPID is true, so the pods would share the node\'s namespaces; remove it',
      'PLAT-K8S-006 dev/vault/release: release "vault": values.server.statefulSet.securityContext.container.privileged is true; remove it (a privileged container is root on the node)',
      'PLAT-K8S-006 dev/vault/release: release "vault": values.injector.extraContainers[0].securityContext.privileged is true; remove it (a privileged container is root on the node)',
    ]);
  });

  test("each resources mapping without requests or a memory limit, and a null one", () => {
    const stack = withValues({
      server: { resources: { requests: RESOURCES.requests, limits: { cpu: "1" } } },
      injector: { resources: null },
      csi: { resources: { limits: { memory: "64Mi" } } },
    });
    const fix = "set requests from observed use and limits.memory at or above requests.memory";
    expect(violations(stack)).toEqual([
      `PLAT-K8S-007 dev/vault/release: release "vault": values.server.resources has no limits.memory; ${fix}`,
      'PLAT-K8S-007 dev/vault/release: release "vault": values.injector.resources is null, which drops the requests and limits the platform sets for the chart\'s default (usually none); set requests.cpu, requests.memory and limits.memory',
      `PLAT-K8S-007 dev/vault/release: release "vault": values.csi.resources has no requests.cpu, requests.memory; ${fix}`,
    ]);
  });

  test("the cluster chart's cluster.resources is reported once, as the Cluster's spec", () => {
    const stack = withValues(
      cnpgClusterValues({ instances: 1, enablePDB: false, resources: { requests: RESOURCES.requests } }),
      CNPG_CLUSTER,
    );
    expect(violations(stack)).toEqual([
      'PLAT-K8S-007 dev/vault/release: CloudNativePG cluster of release "vault": cluster.resources has no limits.memory; set requests from observed use and limits.memory at or above requests.memory',
    ]);
  });

  test("whole objects in values (the manifests chart's manifests, a chart's extraObjects) are reported once, as objects", () => {
    const privileged = workload({ containers: [container({ securityContext: { ...SECURE_CONTEXT, privileged: true } })] });
    const stack = fixtureStack("dev");
    render(stack, [privileged]);
    release(stack, { extraObjects: [privileged] }, VAULT, "vault");
    expect(violations(stack)).toEqual([
      'PLAT-K8S-006 dev/objects/helm/release: container "api" (containers[0]) of Deployment "api" (values.manifests[0]): privileged is true; remove it (a privileged container is root on the node)',
      'PLAT-K8S-006 dev/vault/release: container "api" (containers[0]) of Deployment "api" (values.extraObjects[0]): privileged is true; remove it (a privileged container is root on the node)',
    ]);
  });

  test("a waiver of a retired rule is reported with why it was retired", () => {
    const stack = fixtureStack("dev");
    waive(release(stack), "PLAT-K8S-008", "the chart owns the probes of these pods");
    expect(violations(stack)).toEqual([
      'PLAT-WAIVER-002 dev/release: waiver of PLAT-K8S-008 names a retired rule ("Long-running containers have readiness and liveness probes", retired 2026-11-27: it could never fire on what the project ships: third-party charts render every long-running pod and own its probes, and the only pods the project renders itself are Jobs, which run to completion and take no probes), which never fires; remove it',
    ]);
  });
});

describe("chart values: a user's override in the environment file", () => {
  function devWith(services: KubernetesEnvironmentConfig["services"]): TerraformStack {
    const config: KubernetesEnvironmentConfig = { ...dev, services: { ...dev.services, ...services } };
    return createEnvironmentStack(Testing.app(), { file: "environments/dev.ts", config });
  }

  test("that weakens the platform's Vault contexts and sizing fails the synth, naming the merged values path", () => {
    const stack = devWith({
      vault: {
        ...dev.services?.vault,
        replicas: dev.services?.vault?.replicas ?? 1,
        values: {
          server: {
            statefulSet: { securityContext: { container: { runAsUser: 0, seccompProfile: { type: "Unconfined" } } } },
            resources: { limits: { memory: null } },
          },
        },
      },
    });
    expect(violations(stack)).toEqual([
      `PLAT-K8S-002 dev/vault/release/release: release "vault": values.server.statefulSet.securityContext.container.runAsUser is 0 (root); set a non-zero UID, ${DEFAULT_FIX}`,
      `PLAT-K8S-005 dev/vault/release/release: release "vault": values.server.statefulSet.securityContext.container.seccompProfile.type is "Unconfined"; set RuntimeDefault (or Localhost with a profile), ${DEFAULT_FIX}`,
      'PLAT-K8S-007 dev/vault/release/release: release "vault": values.server.resources has no limits.memory; set requests from observed use and limits.memory at or above requests.memory',
    ]);
  });

  test("that keeps them restricted passes", () => {
    const stack = devWith({
      vault: {
        ...dev.services?.vault,
        replicas: dev.services?.vault?.replicas ?? 1,
        values: {
          server: { statefulSet: { securityContext: { container: { runAsUser: 1000 } } }, resources: { limits: { memory: "1Gi" } } },
        },
      },
    });
    expect(violations(stack)).toEqual([]);
  });
});
