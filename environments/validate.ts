import * as fs from "fs";
import { validateDockerEnvironment } from "./docker-rules";
import { isEnabled, PLATFORM_NAMESPACES, validateServices } from "../constructs/services";
import { validateTeams } from "../constructs/team/references";
import { CloneSourceEnvironment, checkCloneAgainstSource, resolveCloneSource } from "../constructs/postgres/clone";
import { backupDestination, isRepositorySqlFile, POSTGRES_SPEC_SCHEMA, PostgresSpec, resolvePostgres } from "../constructs/postgres/spec";
import { projectPath } from "../constructs/project-paths";
import type { EnvironmentSource } from "./index";
import { checkStructure } from "../core/schema";
import { ServiceContext } from "../core/service-context";
import { ENVIRONMENT_SCHEMA } from "./schema";
import { ConfigurationError, formatProblem, ProblemCollector } from "../core/problems";
import { isLabelValue, isOvhName, isQualifiedName, isServerUrl, isWholeNumber } from "../core/formats";
import { vaultStackName } from "../core/stacks";
import { ClusterConfig, EnvironmentConfig, KubernetesEnvironmentConfig, NodePoolConfig, S3StateConfig, StateConfig } from "./types";
import {
  OVH_KUBERNETES_LIMITS,
  OVH_S3_REGIONS,
  OvhKubernetesPlan,
  ovhFlavor,
  ovhFlavorSuggestion,
  ovhMaxNodesPerPool,
  ovhRegionOfEndpoint,
  ovhS3Endpoint,
  ovhS3EndpointProblem,
} from "../core/ovh";
import { closest } from "../core/suggest";
import { validateCapacity } from "./capacity";

/** Tiers whose state must survive a laptop: they may not use local state. */
const REMOTE_STATE_REQUIRED = new Set(["staging", "production"]);
const TIERS = ["development", "staging", "production"];

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** OVHcloud caps a pool with anti-affinity at 5 nodes (one per hypervisor group). */
export const OVH_ANTI_AFFINITY_MAX_NODES = OVH_KUBERNETES_LIMITS.maxNodesPerAntiAffinityPool;

/** The plan of an `ovh` cluster that does not say: the lower node limit, so no cluster is assumed larger than it is. */
export const DEFAULT_CLUSTER_PLAN: OvhKubernetesPlan = "free";
const PLANS: readonly OvhKubernetesPlan[] = ["free", "standard"];

/** Checks one environment; returns its problems without throwing. */
export function validateEnvironment(config: EnvironmentConfig): ProblemCollector {
  const problems = new ProblemCollector();
  // The rules below read fields as the types say they are: only a config of that shape reaches them.
  if (!checkStructure(ENVIRONMENT_SCHEMA, config, problems)) return problems;
  problems.check(
    isOvhName(config.name),
    "name",
    "environment name is not a valid stack and DNS-1123 name",
    config.name,
    "use lowercase letters, digits and '-', start with a letter, at most 63 characters",
  );
  problems.check(TIERS.includes(config.tier), "tier", "unknown environment tier", config.tier, `use one of ${TIERS.join(", ")}`);
  validateState(config, problems.at("state"));
  if (config.target === "kubernetes") {
    validateCluster(config.cluster, problems.at("cluster"));
    validateNodePools(config, problems);
    validateVaultAccess(config, problems);
    validateOvhNodeCounts(config, problems);
  } else {
    const host = config.dockerHost;
    problems.check(
      host === undefined || /^(unix|tcp|ssh|npipe):\/\/.+/.test(host),
      "dockerHost",
      "Docker host is not an engine address",
      host,
      "use unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host or npipe://",
    );
    validateDockerEnvironment(config, problems);
  }
  validateServices(config.services ?? {}, serviceContext(config), problems);
  validateTeams(
    config.teams ?? [],
    {
      ...serviceContext(config),
      environmentName: config.name,
      services: config.services ?? {},
      reservedNamespaces: PLATFORM_NAMESPACES,
    },
    problems,
  );
  if (config.target === "kubernetes") validateCapacity(config, problems);
  return problems;
}

/**
 * Checks every environment and throws one error listing every problem, each as
 * `<file>: <field path>: <what is wrong> (got <value>; <how to fix>)`.
 */
export function assertValidEnvironments(sources: readonly EnvironmentSource[]): void {
  const lines: string[] = [];
  const seen = new Map<string, string>();
  const clonable = cloneSourceEnvironments(sources);
  for (const { file, config } of sources) {
    for (const problem of validateEnvironment(config).problems) lines.push(formatProblem(file, problem));
    for (const problem of validateClones(config, clonable).problems) lines.push(formatProblem(file, problem));
    const fileName = file.replace(/^.*\//, "").replace(/\.ts$/, "");
    if (typeof config.name === "string" && config.name !== fileName && /^environments\//.test(file)) {
      lines.push(
        formatProblem(file, {
          path: "name",
          message: `the environment's name differs from its file's, ${fileName}`,
          got: config.name,
          fix: `rename the file to environments/${config.name}.ts, or set name: "${fileName}"`,
        }),
      );
    }
    const previous = seen.get(config.name);
    if (previous !== undefined) {
      lines.push(
        formatProblem(file, {
          path: "name",
          message: `environment name is already used by ${previous}`,
          got: config.name,
          fix: "each environment is one stack and needs a unique name",
        }),
      );
    }
    seen.set(config.name, file);
  }
  // An environment's Vault stack is named `<environment>-vault`: no environment may take that name.
  for (const { file, config } of sources) {
    if (config.target !== "kubernetes" || !isEnabled(config.services ?? {}, "vault")) continue;
    const taken = seen.get(vaultStackName(config.name));
    if (taken === undefined) continue;
    lines.push(
      formatProblem(taken, {
        path: "name",
        message: `environment name is the name of the Vault configuration stack of ${file}`,
        got: vaultStackName(config.name),
        fix: `rename this environment: every stack needs a unique name, and ${config.name}'s Vault stack is ${vaultStackName(config.name)}`,
      }),
    );
  }
  if (lines.length > 0) throw new ConfigurationError(lines);
}

function validateState(config: EnvironmentConfig, problems: ProblemCollector): void {
  const state: StateConfig = config.state;
  if (state.backend === "local") {
    problems.check(
      !REMOTE_STATE_REQUIRED.has(config.tier),
      "backend",
      `a ${config.tier} environment must keep its state in remote object storage`,
      state.backend,
      'use { backend: "s3", bucket, region } so the team and CI share one locked state',
    );
    problems.check(
      state.path === undefined || (/\.tfstate$/.test(state.path) && !state.path.startsWith("/")),
      "path",
      "local state path must be a relative path ending in .tfstate",
      state.path,
      "e.g. terraform.local.tfstate, relative to the project root",
    );
    return;
  }
  validateS3State(state, problems);
}

function validateS3State(state: S3StateConfig, problems: ProblemCollector): void {
  problems.check(
    state.bucket.length >= 3 &&
      state.bucket.length <= 63 &&
      /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(state.bucket) &&
      !state.bucket.includes("..") &&
      !/^\d+\.\d+\.\d+\.\d+$/.test(state.bucket),
    "bucket",
    "bucket name breaks the S3 naming rules",
    state.bucket,
    "use 3-63 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit",
  );
  const regionCode = problems.check(
    /^[a-z][a-z0-9-]*$/.test(state.region),
    "region",
    "state region is not a region code",
    state.region,
    "use the object storage region in lowercase, e.g. gra, sbg, de, uk, waw, bhs, eu-west-par",
  );
  validateStateEndpoint(state, regionCode, problems);
  const prefix = state.keyPrefix;
  problems.check(
    prefix === undefined || /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(prefix),
    "keyPrefix",
    "state key prefix must be path segments without leading, trailing or double '/'",
    prefix,
    "use letters, digits, '-', '_' and single '/' between segments, e.g. platform or teams/platform",
  );
}

/**
 * The endpoint, and the region it is derived from or signed for. Without an endpoint it is
 * OVHcloud's for the region, which must then be an Object Storage region; an endpoint on
 * cloud.ovh.net claims to be OVHcloud's, so its region must exist and be the state's; another
 * S3-compatible store's endpoint needs only to be an https URL.
 */
function validateStateEndpoint(state: S3StateConfig, regionCode: boolean, problems: ProblemCollector): void {
  if (state.endpoint === undefined) {
    if (regionCode && !OVH_REGION_CODES.includes(state.region)) {
      const guess = ovhRegionGuess(state.region);
      problems.add(
        "region",
        `state region is not an OVHcloud Object Storage region, and without an endpoint the endpoint is derived from it: ${ovhS3Endpoint(state.region)} does not exist`,
        state.region,
        guess === undefined
          ? `use one of ${OVH_REGION_CODES.join(", ")}, or set endpoint for another S3-compatible store`
          : `did you mean ${guess}? For another S3-compatible store, set endpoint`,
      );
    }
    return;
  }
  if (
    !problems.check(
      isHttpsEndpoint(state.endpoint),
      "endpoint",
      "state endpoint is not an https URL without path or credentials",
      state.endpoint,
      "use e.g. https://s3.gra.io.cloud.ovh.net; http is accepted only for localhost",
    )
  )
    return;
  const ovh = ovhS3EndpointProblem(state.endpoint);
  if (ovh !== undefined) {
    problems.add("endpoint", ovh.message, state.endpoint, ovh.fix);
    return;
  }
  const endpointRegion = ovhRegionOfEndpoint(state.endpoint);
  problems.check(
    endpointRegion === undefined || !regionCode || endpointRegion === state.region,
    "region",
    `state region differs from the endpoint's, ${endpointRegion}: requests are signed for the region, and OVHcloud refuses a signature for another`,
    state.region,
    OVH_REGION_CODES.includes(state.region)
      ? `set region: "${endpointRegion}", or use ${ovhS3Endpoint(state.region)} if that region is meant`
      : `set region: "${endpointRegion}"`,
  );
}

const OVH_REGION_CODES = OVH_S3_REGIONS.map((region) => region.code);

/** The Object Storage region a wrong one most likely meant: "ap-southeast-sgp" is "sgp", "grav" "gra". */
function ovhRegionGuess(region: string): string | undefined {
  const tail = region.split("-").pop() ?? "";
  return OVH_REGION_CODES.includes(tail) ? tail : closest(region, OVH_REGION_CODES);
}

function isHttpsEndpoint(value: string): boolean {
  // Plain http only to this machine, e.g. a MinIO on the laptop.
  const local = /^http:\/\/(localhost|127\.0\.0\.1)([:/]|$)/.test(value);
  return isServerUrl(value, local ? ["http:"] : ["https:"]);
}

function validateCluster(cluster: ClusterConfig, problems: ProblemCollector): void {
  problems.check(
    ["ovh", "generic"].includes(cluster.provider),
    "provider",
    "unknown cluster provider",
    cluster.provider,
    'use "ovh" for OVHcloud Managed Kubernetes or "generic" for any other cluster',
  );
  problems.check(cluster.region.trim() !== "", "region", "cluster region is empty", cluster.region, "set the region, e.g. GRA");
  if (cluster.plan !== undefined) {
    const ovh = problems.check(
      cluster.provider !== "generic",
      "plan",
      "a plan is OVHcloud's; a generic cluster has none",
      cluster.plan,
      'remove plan, or set provider: "ovh"',
    );
    if (ovh)
      problems.check(
        PLANS.includes(cluster.plan),
        "plan",
        "unknown OVHcloud Managed Kubernetes plan",
        cluster.plan,
        `use ${PLANS.map((plan) => JSON.stringify(plan)).join(" or ")}, as the cluster's page in OVHcloud's control panel says`,
      );
  }
  problems.check(
    cluster.kubeconfigPath.trim() !== "",
    "kubeconfigPath",
    "kubeconfig path is empty",
    cluster.kubeconfigPath,
    "set the path of the cluster's kubeconfig, e.g. ~/.kube/platform-dev.yaml",
  );
  problems.check(
    cluster.kubeconfigContext.trim() !== "",
    "kubeconfigContext",
    "kubeconfig context is empty",
    cluster.kubeconfigContext,
    "set the context name from the kubeconfig, as kubectl config get-contexts lists them",
  );
}

function validateNodePools(config: KubernetesEnvironmentConfig, problems: ProblemCollector): void {
  const systemPools = config.nodePools.filter((pool) => pool.role === "system");
  problems.check(
    systemPools.length === 1,
    "nodePools",
    `${systemPools.length} pools have role "system"`,
    config.nodePools.map((pool) => `${pool.name}:${pool.role}`),
    'declare exactly one pool with role "system": platform services are placed on it',
  );
  const names = new Set<string>();
  config.nodePools.forEach((pool, index) => {
    const at = problems.at("nodePools").at(index);
    at.check(!names.has(pool.name), "name", "node pool name is used twice", pool.name, "give every pool of the environment its own name");
    names.add(pool.name);
    validateNodePool(pool, at);
    if (config.cluster.provider === "ovh") validateOvhFlavor(pool, at);
  });
}

function validateNodePool(pool: NodePoolConfig, problems: ProblemCollector): void {
  problems.check(
    isOvhName(pool.name),
    "name",
    "node pool name is not allowed",
    pool.name,
    "use lowercase letters, digits and '-', no '_' or '.', start with a letter, at most 63 characters",
  );
  problems.check(
    ["system", "applications"].includes(pool.role),
    "role",
    "unknown node pool role",
    pool.role,
    'use "system" or "applications"',
  );
  problems.check(
    pool.flavor.trim() !== "",
    "flavor",
    "flavor is empty",
    pool.flavor,
    "set the instance flavor, e.g. b2-15; it cannot change after the pool exists",
  );
  const counts = { minNodes: pool.minNodes, desiredNodes: pool.desiredNodes, maxNodes: pool.maxNodes };
  let countsAreNumbers = true;
  for (const [field, value] of Object.entries(counts)) {
    countsAreNumbers =
      problems.check(
        isWholeNumber(value, field === "maxNodes" ? 1 : 0),
        field,
        `${field} is not a whole number${field === "maxNodes" ? " of at least 1" : ""}`,
        value,
        "use a whole number of nodes",
      ) && countsAreNumbers;
  }
  if (countsAreNumbers) {
    problems.check(
      pool.minNodes <= pool.desiredNodes,
      "desiredNodes",
      "desiredNodes is below minNodes",
      pool.desiredNodes,
      `use a value from minNodes, ${pool.minNodes}, to maxNodes, ${pool.maxNodes}`,
    );
    problems.check(
      pool.desiredNodes <= pool.maxNodes,
      "desiredNodes",
      "desiredNodes is above maxNodes",
      pool.desiredNodes,
      `use a value from minNodes, ${pool.minNodes}, to maxNodes, ${pool.maxNodes}, or raise maxNodes`,
    );
    problems.check(
      !(pool.antiAffinity ?? false) || pool.maxNodes <= OVH_ANTI_AFFINITY_MAX_NODES,
      "maxNodes",
      `a pool with antiAffinity holds at most ${OVH_ANTI_AFFINITY_MAX_NODES} nodes`,
      pool.maxNodes,
      `lower maxNodes to ${OVH_ANTI_AFFINITY_MAX_NODES}, or set antiAffinity: false in a new pool, as it cannot change in place`,
    );
  }
  for (const [key, value] of Object.entries(pool.labels ?? {})) {
    problems.check(
      isQualifiedName(key),
      `labels["${key}"]`,
      "label key is not a Kubernetes qualified name",
      key,
      "use [dns-prefix/]name with letters, digits, '-', '_' and '.', name at most 63 characters",
    );
    problems.check(
      isLabelValue(value),
      `labels["${key}"]`,
      "label value is not allowed",
      value,
      "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    );
  }
  (pool.taints ?? []).forEach((taint, index) => {
    const at = problems.at("taints").at(index);
    at.check(
      isQualifiedName(taint.key),
      "key",
      "taint key is not a Kubernetes qualified name",
      taint.key,
      "use [dns-prefix/]name, e.g. platform/pool",
    );
    at.check(
      taint.value === undefined || isLabelValue(taint.value),
      "value",
      "taint value is not allowed",
      taint.value,
      "use at most 63 letters, digits, '-', '_' or '.'",
    );
    at.check(
      TAINT_EFFECTS.includes(taint.effect),
      "effect",
      "unknown taint effect",
      taint.effect,
      `use one of ${TAINT_EFFECTS.join(", ")}`,
    );
  });
}

/**
 * Where the `<environment>-vault` stack reaches Vault: required when the
 * environment runs Vault (its Vault stack is synthesized), an https address
 * and a CA file Terraform can find. The token is never part of it.
 */
export function validateVaultAccess(environment: KubernetesEnvironmentConfig, problems: ProblemCollector): void {
  const access = environment.vaultAccess;
  if (access === undefined) {
    problems.check(
      !isEnabled(environment.services ?? {}, "vault"),
      "vaultAccess",
      `Vault's configuration stack ${vaultStackName(environment.name)} needs Vault's address and CA`,
      undefined,
      `set vaultAccess: vaultThroughPortForward("${environment.name}") from environments/shared.ts, or { address, caCertFile }`,
    );
    return;
  }
  const at = problems.at("vaultAccess");
  at.check(
    access.address.trim() !== "",
    "address",
    "Vault address is missing",
    access.address,
    "set Vault's API URL as Terraform reaches it, e.g. https://127.0.0.1:8200 through kubectl port-forward",
  );
  if (access.address.trim() !== "") {
    at.check(
      isServerUrl(access.address),
      "address",
      "Vault address is not an https URL without path or credentials",
      access.address,
      "use e.g. https://127.0.0.1:8200; the Vault provider sends a token, so http is refused",
    );
  }
  at.check(
    access.caCertFile.trim() !== "",
    "caCertFile",
    "Vault CA file is missing",
    access.caCertFile,
    `set the PEM file of the CA that signed Vault's certificate, e.g. ~/.vault/platform-${environment.name}-ca.pem`,
  );
  if (access.caCertFile.trim() !== "") {
    at.check(
      /^(\/|~\/)[^\s"'$\\]+$/.test(access.caCertFile) && !access.caCertFile.endsWith("/"),
      "caCertFile",
      "Vault CA file is not an absolute or ~/ path to a file",
      access.caCertFile,
      "use /… or ~/… without spaces, quotes or $: Terraform runs in cdktf.out/stacks/<stack>, where a relative path would mean another file",
    );
  }
  if (access.tlsServerName !== undefined) {
    at.check(
      access.tlsServerName.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(access.tlsServerName),
      "tlsServerName",
      "TLS server name is not a DNS name",
      access.tlsServerName,
      "use a name Vault's certificate holds, e.g. vault-active.vault.svc.cluster.local, or leave it out",
    );
  }
}

/** On OVHcloud, a flavor of the catalogue (core/ovh.ts): a misspelt one fails only when the pool is created. */
function validateOvhFlavor(pool: NodePoolConfig, problems: ProblemCollector): void {
  if (pool.flavor.trim() === "" || ovhFlavor(pool.flavor) !== undefined) return;
  const guess = ovhFlavorSuggestion(pool.flavor);
  problems.add(
    "flavor",
    "flavor is not an OVHcloud Managed Kubernetes flavor the platform knows",
    pool.flavor,
    guess === undefined
      ? "use a flavor of OVH_FLAVORS in core/ovh.ts, e.g. b3-16 or c3-8, or add the flavor there with its source"
      : `did you mean ${guess}? Flavors are lower-case, as OVH_FLAVORS in core/ovh.ts lists them`,
  );
}

/**
 * OVHcloud's node limits (its known-limits guide; tested, not hard, limits): a pool without
 * anti-affinity up to the cluster's limit, and all pools' maxNodes together within the cluster's
 * limit for its plan. The anti-affinity cap of 5 is checked with each pool.
 */
function validateOvhNodeCounts(config: KubernetesEnvironmentConfig, problems: ProblemCollector): void {
  if (config.cluster.provider !== "ovh") return;
  const plan = config.cluster.plan ?? DEFAULT_CLUSTER_PLAN;
  if (!PLANS.includes(plan)) return;
  const limit = OVH_KUBERNETES_LIMITS.maxNodesPerCluster[plan];
  const standard =
    plan === "free"
      ? `, or set cluster.plan: "standard" if the cluster is on that plan, which holds ${OVH_KUBERNETES_LIMITS.maxNodesPerCluster.standard}`
      : "";
  let eachFits = true;
  config.nodePools.forEach((pool, index) => {
    if (!isWholeNumber(pool.maxNodes, 1) || (pool.antiAffinity ?? false)) return;
    eachFits =
      problems.check(
        pool.maxNodes <= ovhMaxNodesPerPool(false, plan),
        `nodePools[${index}].maxNodes`,
        `maxNodes is above the ${limit} nodes an OVHcloud ${plan}-plan cluster holds`,
        pool.maxNodes,
        `lower maxNodes to ${limit} or less${standard}`,
      ) && eachFits;
  });
  const counts = config.nodePools.map((pool) => pool.maxNodes);
  if (!eachFits || !counts.every((count) => isWholeNumber(count, 1))) return;
  const total = counts.reduce((sum, count) => sum + count, 0);
  problems.check(
    total <= limit,
    "nodePools",
    `the pools may grow to ${total} nodes together, above the ${limit} an OVHcloud ${plan}-plan cluster holds`,
    Object.fromEntries(config.nodePools.map((pool) => [pool.name, pool.maxNodes])),
    `lower the pools' maxNodes to ${limit} in total${standard}`,
  );
}

/** PostgreSQL spec of an environment that runs it on Kubernetes, when its shape is sound; undefined otherwise. */
function kubernetesPostgres(config: EnvironmentConfig): PostgresSpec | undefined {
  if (!checkStructure(ENVIRONMENT_SCHEMA, config, new ProblemCollector()) || config.target !== "kubernetes") return undefined;
  const services = config.services ?? {};
  if (!isEnabled(services, "postgres")) return undefined;
  const { enabled: _enabled, ...spec } = services.postgres ?? {};
  // Its own validation reports a spec of the wrong shape; here it only cannot be a source or a clone.
  return checkStructure(POSTGRES_SPEC_SCHEMA, spec, new ProblemCollector()) ? spec : undefined;
}

/** Every environment as a clone sees it: name, tier and PostgreSQL spec. */
export function cloneSourceEnvironments(sources: readonly EnvironmentSource[]): CloneSourceEnvironment[] {
  return sources.map(({ config }) => ({ name: config.name, tier: config.tier, postgres: kubernetesPostgres(config) }));
}

/**
 * The rules of `cloneFrom` that need the other environments (the clone's
 * own are validatePostgres'): its source exists, keeps backups, holds the
 * databases the clone declares and is not where the clone archives; its
 * sanitising scripts exist; nothing forbids Terraform to replace it.
 */
export function validateClones(config: EnvironmentConfig, environments: readonly CloneSourceEnvironment[]): ProblemCollector {
  const problems = new ProblemCollector();
  const spec = kubernetesPostgres(config);
  if (spec === undefined) return problems;
  const postgres = resolvePostgres(spec);
  postgres.clusters.forEach((cluster, index) => {
    const clone = cluster.cloneFrom;
    if (clone === undefined) return;
    const at = problems.at("services.postgres.clusters").at(index);
    const source = resolveCloneSource(clone, config.name, environments, at.at("cloneFrom"));
    const own = postgres.backup ? backupDestination(postgres.backup, config.name, cluster.name) : undefined;
    if (source !== undefined) checkCloneAgainstSource(cluster.databases, source, own, at);
    clone.sanitise.forEach((script, scriptIndex) => {
      // A path of the wrong form is reported by validatePostgres; only a well-formed one is looked up.
      if (!isRepositorySqlFile(script.file)) return;
      const file = projectPath(script.file);
      at.at("cloneFrom.sanitise")
        .at(scriptIndex)
        .check(
          fs.existsSync(file) && fs.statSync(file).isFile(),
          "file",
          "no such file in the repository",
          script.file,
          "add the script, or write its path from the repository root, e.g. postgres/sanitise/platform.sql",
        );
    });
    at.check(
      config.protectFromDestroy !== true,
      "cloneFrom",
      "protectFromDestroy keeps Terraform from replacing the clone, which every refresh does",
      { environment: clone.environment, cluster: clone.cluster },
      "set protectFromDestroy: false in this environment, or remove cloneFrom",
    );
  });
  return problems;
}

/** What the services' validation needs to know about an environment. */
export function serviceContext(environment: EnvironmentConfig): ServiceContext {
  return {
    tier: environment.tier,
    target: environment.target,
    systemPool: environment.target === "kubernetes" ? environment.nodePools.find((pool) => pool.role === "system") : undefined,
  };
}
