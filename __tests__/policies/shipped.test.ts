import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Aspects, TerraformStack } from "cdktf";
import { ENVIRONMENTS } from "../../environments";
import { tierOfEnvironment } from "../../core/tiers";
import { PolicyAspect } from "../../policies/aspect";
import { chartSettings, releaseLabel } from "../../policies/chart-settings";
import { buildInventory } from "../../policies/inventory";
import { checkPolicies } from "../../policies/report";
import { synthesizeChecked } from "../../policies/synthesize";
import { buildPlatformApp } from "../../stacks/platform-app";
import { runSynth } from "../../stacks/run-synth";
import { VaultStack } from "../../stacks/vault-stack";
import { EXTERNAL_SECRETS, release } from "./support/objects";
import { SHIPPED_STACKS } from "../support/shipped-stacks";

// Each test builds the whole platform at most once: it is the slow part.
describe("shipped environments", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-policy-"));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("every stack has the policy aspect, none has a violation, and the only waiver is node-exporter's privileged namespace", () => {
    const app = buildPlatformApp(ENVIRONMENTS, { outdir });
    const stacks = app.node.findAll().filter(TerraformStack.isStack);
    expect(stacks.map((stack) => Aspects.of(stack).all.some((aspect) => aspect instanceof PolicyAspect))).toEqual(stacks.map(() => true));
    const report = checkPolicies(app);
    expect(report.stacks.map((stack) => stack.stack)).toEqual(SHIPPED_STACKS);
    expect(
      [...report.errors, ...report.warnings].map((violation) => `${violation.ruleId} ${violation.path}: ${violation.message}`),
    ).toEqual([]);
    expect(report.waived.map((waived) => `${waived.ruleId} ${waived.path}`)).toEqual(
      ["dev", "staging", "production"].map((stack) => `PLAT-NS-001 ${stack}/observability/node-exporter-namespace/namespace`),
    );
  });

  test("the chart-value checks see what the platform sets (so the clean result above means something), and not volume claim sizes", () => {
    const app = buildPlatformApp(ENVIRONMENTS, { outdir });
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      if (stack.node.id === "local" || stack instanceof VaultStack) continue; // Docker, Vault's configuration: no chart values
      const settings = chartSettings(buildInventory(stack, tierOfEnvironment(stack.node.id)));
      const seen = (list: typeof settings.resources) => list.map((setting) => `${releaseLabel(setting.release)} ${setting.path}`);
      expect(seen(settings.securityContexts)).toEqual([
        'release "tempo" values.tempo.securityContext',
        'release "tempo" values.securityContext',
        'release "opentelemetry-collector" values.podSecurityContext',
        'release "opentelemetry-collector" values.securityContext',
        'release "cert-manager" values.securityContext',
        'release "cert-manager" values.containerSecurityContext',
        'release "cert-manager" values.webhook.securityContext',
        'release "cert-manager" values.webhook.containerSecurityContext',
        'release "cert-manager" values.cainjector.securityContext',
        'release "cert-manager" values.cainjector.containerSecurityContext',
        'release "cert-manager" values.startupapicheck.securityContext',
        'release "cert-manager" values.startupapicheck.containerSecurityContext',
        'release "vault" values.injector.securityContext',
        'release "vault" values.injector.securityContext.pod',
        'release "vault" values.injector.securityContext.container',
        'release "vault" values.server.statefulSet.securityContext',
        'release "vault" values.server.statefulSet.securityContext.pod',
        'release "vault" values.server.statefulSet.securityContext.container',
        'release "plugin-barman-cloud" values.podSecurityContext',
        'release "plugin-barman-cloud" values.containerSecurityContext',
      ]);
      const resources = seen(settings.resources);
      expect(resources).toEqual(
        expect.arrayContaining([
          'release "kube-prometheus-stack" values.prometheus.prometheusSpec.resources',
          'release "vault" values.server.resources',
          'release "redis" values.redis.resources',
          'release "argocd" values.controller.resources',
          'release "strimzi-kafka-operator" values.resources',
          'release "cert-manager" values.resources',
          'release "cert-manager" values.webhook.resources',
          'release "cert-manager" values.cainjector.resources',
          'release "cert-manager" values.startupapicheck.resources',
          'release "plugin-barman-cloud" values.resources',
        ]),
      );
      expect(resources.filter((path) => path.includes("volumeClaimTemplate"))).toEqual([]);
      expect(seen(settings.hostAccess)).toEqual([]);
    }
  });

  test("npm run synth (runSynth) prints the policy report; local state for an experiment is a listed waiver", () => {
    const printed: string[] = [];
    expect(
      runSynth(ENVIRONMENTS, {
        env: { PLATFORM_LOCAL_STATE: "1" },
        print: (text) => printed.push(text),
        printError: (text) => printed.push(text),
        outdir,
      }),
    ).toBe(0);
    const lines = printed.join("\n").split("\n");
    const stackNames = ["local", "dev", "dev-vault", "staging", "staging-vault", "production", "production-vault"];
    expect(lines.slice(0, 8)).toEqual([
      `Synthesized 7 stacks into ${outdir}:`,
      ...stackNames.map((stack) =>
        expect.stringMatching(
          new RegExp(
            `^  ${stack}: ${outdir}/stacks/${stack}/cdk\\.tf\\.json \\(\\d+ resources, local state terraform\\.${stack}\\.tfstate\\)$`,
          ),
        ),
      ),
    ]);
    expect(lines.slice(8)).toEqual([
      "Policy: 0 errors, 0 warnings, 9 waived",
      ...["dev", "staging", "production"].flatMap((stack) => [
        `  waived: PLAT-NS-001 at ${stack}/observability/node-exporter-namespace/namespace: node-exporter reads the nodes' /proc and network: it needs hostPID and hostNetwork, which only the privileged level admits`,
        `  waived: PLAT-STATE-001 at ${stack}/backend: PLATFORM_LOCAL_STATE=1: a local experiment that never touches the shared state`,
        `  waived: PLAT-STATE-001 at ${stack}-vault/backend: PLATFORM_LOCAL_STATE=1: a local experiment that never touches the shared state`,
      ]),
      "warning: dev/vault: Vault runs a single raft voter (replicas: 1): no failover; acceptable in development only",
    ]);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...stackNames].sort());
  });

  test("an error in one stack prints the list and writes no stack at all", () => {
    const app = buildPlatformApp(ENVIRONMENTS, { outdir });
    release(app.node.findChild("production"), {}, { ...EXTERNAL_SECRETS, version: "~2.9.0" }, "ranged");
    const printed: string[] = [];
    const report = synthesizeChecked(app, (text) => printed.push(text));
    expect(report.errors.map((error) => `${error.ruleId} ${error.path}`)).toEqual(["PLAT-HELM-001 production/ranged/release"]);
    expect(printed.join("\n")).toContain("  error: PLAT-HELM-001 at production/ranged/release: ");
    // The App creates an empty stacks/ folder when constructed; no stack is written into it.
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual([]);
  });
});
