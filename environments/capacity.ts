import { ContainerSizing, platformContainers, SizedContainer } from "../constructs/containers";
import {
  byteQuantityProblem,
  containerMemoryRule,
  cpuQuantityProblem,
  MAX_CONTAINER_CPU_CORES,
  ResourceRequirements,
} from "../constructs/common/sizing";
import { resolveTeam, ResolvedTeam, TeamSpec } from "../constructs/team/spec";
import { NodePoolConfig } from "../core/placement";
import { OVH_FLAVORS, OVH_KUBERNETES_LIMITS, ovhAllocatable, OvhAllocatable } from "../core/ovh";
import { ProblemCollector } from "../core/problems";
import { cpuCores, formatBytes, memoryBytes } from "../core/quantities";
import { KubernetesEnvironmentConfig } from "./types";

/**
 * Capacity: what the platform and the teams ask of the node pools, against what OVHcloud's
 * flavors can give (core/ovh: allocatable is the flavor's memory and CPU less what each node
 * keeps for Kubernetes). Only for an `ovh` cluster whose flavors are in the catalogue: a
 * `generic` cluster's machines are not known, and neither is a flavor the catalogue lacks
 * (reported on its own).
 *
 * - Every container of the platform services fits one node of the system pool: its memory
 *   request and limit, and its CPU request.
 * - Each team's quota, per namespace times its namespaces, fits the applications pools at their
 *   maxNodes, and so do all teams' together; its container defaults fit one applications node.
 *
 * DaemonSets and OVHcloud's own pods on each node are not counted: a fit here is necessary, not
 * sufficient.
 */
export function validateCapacity(config: KubernetesEnvironmentConfig, problems: ProblemCollector): void {
  if (config.cluster.provider !== "ovh") return;
  const systemPools = config.nodePools.filter((pool) => pool.role === "system");
  if (systemPools.length === 1) {
    const index = config.nodePools.indexOf(systemPools[0]);
    checkPlatformContainers(config, systemPools[0], index, problems);
  }
  checkTeams(config, problems);
}

const MiB = 2 ** 20;

interface Need {
  readonly memory?: number;
  readonly cpu?: number;
}

/** The quantities of a container's requests and limits that validateResources accepts; it reports the others. */
function needsOf(resources: ResourceRequirements): { request: Need; limit: Need } | undefined {
  if (typeof resources !== "object" || resources === null) return undefined;
  const memory = (value: unknown) =>
    typeof value === "string" && byteQuantityProblem(value, containerMemoryRule("memory")) === undefined ? memoryBytes(value) : undefined;
  const cpu = (value: unknown) =>
    typeof value === "string" && cpuQuantityProblem(value, "CPU", MAX_CONTAINER_CPU_CORES) === undefined ? cpuCores(value) : undefined;
  return {
    request: { memory: memory(resources.requests?.memory), cpu: cpu(resources.requests?.cpu) },
    limit: { memory: memory(resources.limits?.memory) },
  };
}

/** "about 4.54Gi of memory" and "1.84 CPU" in messages; whole MiB and millicores in fixes. */
const memoryText = (bytes: number) => formatBytes(bytes);
const cpuText = (cores: number) => `${Math.round(cores * 1000) / 1000}`;
const atMostMemory = (bytes: number) => `${Math.floor(bytes / MiB)}Mi`;
const atMostCpu = (cores: number) => `${Math.floor(cores * 1000)}m`;

/**
 * The smallest catalogue flavor, of the same family when one fits, one node of which allocates
 * `memory` bytes and `cpu` cores; undefined when none does.
 */
export function flavorFitting(memory: number, cpu: number, family?: string): string | undefined {
  const fitting = Object.keys(OVH_FLAVORS)
    .map((name) => ({ name, allocatable: ovhAllocatable(name) }))
    .filter(
      (entry): entry is { name: string; allocatable: OvhAllocatable } =>
        entry.allocatable !== undefined && entry.allocatable.memoryBytes >= memory && entry.allocatable.cpuMillicores / 1000 >= cpu,
    )
    .sort((a, b) => a.allocatable.memoryBytes - b.allocatable.memoryBytes || a.allocatable.cpuMillicores - b.allocatable.cpuMillicores);
  const familyOf = (name: string) => name.split("-")[0];
  return (fitting.find((entry) => family !== undefined && familyOf(entry.name) === family) ?? fitting[0])?.name;
}

function checkPlatformContainers(
  config: KubernetesEnvironmentConfig,
  pool: NodePoolConfig,
  index: number,
  problems: ProblemCollector,
): void {
  const node = ovhAllocatable(pool.flavor);
  if (node === undefined) return;
  const memory = node.memoryBytes;
  const cpu = node.cpuMillicores / 1000;
  const family = pool.flavor.split("-")[0];
  const nodeText = `one ${pool.flavor} node of the system pool "${pool.name}"`;
  const fixedTooBig: Array<{ container: SizedContainer; memory?: number; cpu?: number }> = [];

  for (const container of platformContainers(config.services ?? {}, config.tier)) {
    const needs = needsOf(container.resources);
    if (needs === undefined) continue;
    const memoryOver =
      needs.request.memory !== undefined && needs.request.memory > memory
        ? { field: "requests.memory", bytes: needs.request.memory, what: "requests" as const }
        : needs.limit.memory !== undefined && needs.limit.memory > memory
          ? { field: "limits.memory", bytes: needs.limit.memory, what: "is limited to" as const }
          : undefined;
    const cpuOver = needs.request.cpu !== undefined && needs.request.cpu > cpu ? needs.request.cpu : undefined;
    if (memoryOver === undefined && cpuOver === undefined) continue;
    const sizing: ContainerSizing = container.sizing;
    if (sizing.kind === "fixed") {
      fixedTooBig.push({ container, memory: memoryOver?.bytes, cpu: cpuOver });
      continue;
    }
    const larger = flavorFitting(Math.max(memoryOver?.bytes ?? 0, needs.limit.memory ?? 0), cpuOver ?? 0, family);
    const orFlavor = larger === undefined ? "" : `, or give the system pool a larger flavor, e.g. ${larger}, in a new pool`;
    if (memoryOver !== undefined) {
      const message = `a container of ${container.title} ${memoryOver.what} ${memoryText(memoryOver.bytes)} of memory, more than ${nodeText} can allocate, ${memoryText(memory)}`;
      if (sizing.kind === "resources") {
        const value = memoryOver.field === "requests.memory" ? container.resources.requests.memory : container.resources.limits.memory;
        problems.add(`${sizing.path}.${memoryOver.field}`, message, value, `lower it to ${atMostMemory(memory)} or less${orFlavor}`);
      } else {
        problems.add(
          sizing.path,
          `a container of ${container.title}, sized ${sizing.how}, ${memoryOver.what} ${memoryText(memoryOver.bytes)} of memory, more than ${nodeText} can allocate, ${memoryText(memory)}`,
          sizing.value,
          `lower ${sizing.path.split(".").pop() ?? "it"}, or set the service's resources${orFlavor}`,
        );
      }
    }
    if (cpuOver !== undefined && sizing.kind === "resources") {
      problems.add(
        `${sizing.path}.requests.cpu`,
        `a container of ${container.title} requests ${cpuText(cpuOver)} CPU, more than ${nodeText} can allocate, ${cpuText(cpu)}`,
        container.resources.requests.cpu,
        `lower it to ${atMostCpu(cpu)} or less${orFlavor}`,
      );
    }
  }

  if (fixedTooBig.length > 0) {
    const needMemory = Math.max(0, ...fixedTooBig.map((entry) => entry.memory ?? 0));
    const needCpu = Math.max(0, ...fixedTooBig.map((entry) => entry.cpu ?? 0));
    const list = fixedTooBig
      .map(({ container, memory: bytes, cpu: cores }) =>
        [
          container.title,
          bytes === undefined ? undefined : `${memoryText(bytes)} of memory`,
          cores === undefined ? undefined : `${cpuText(cores)} CPU`,
        ]
          .filter((part) => part !== undefined)
          .join(" "),
      )
      .join(", ");
    const larger = flavorFitting(needMemory, needCpu, family);
    problems.add(
      `nodePools[${index}].flavor`,
      `${nodeText} can allocate ${memoryText(memory)} of memory and ${cpuText(cpu)} CPU, less than a container of each of these, sized by the platform, needs: ${list}`,
      pool.flavor,
      larger === undefined
        ? "no flavor of the catalogue is large enough; disable the service"
        : `use ${larger} or larger, in a new pool as a pool's flavor cannot change`,
    );
  }
}

interface PoolCapacity {
  readonly memory: number;
  readonly cpu: number;
  readonly pods: number;
  /** The largest node's allocatable, for one container. */
  readonly node: { readonly memory: number; readonly cpu: number; readonly flavor: string };
  /** "5 b2-15 nodes", "5 b2-15 and 3 b2-30 nodes". */
  readonly text: string;
}

/** The applications pools at their maxNodes; undefined without one, or with a flavor the catalogue lacks. */
function applicationsCapacity(pools: readonly NodePoolConfig[]): PoolCapacity | undefined {
  const applications = pools.filter((pool) => pool.role === "applications");
  if (applications.length === 0) return undefined;
  const sized = applications.map((pool) => ({ pool, node: ovhAllocatable(pool.flavor) }));
  if (sized.some((entry) => entry.node === undefined || !Number.isInteger(entry.pool.maxNodes) || entry.pool.maxNodes < 1))
    return undefined;
  let memory = 0;
  let cpu = 0;
  let pods = 0;
  let largest = { memory: 0, cpu: 0, flavor: "" };
  for (const { pool, node } of sized) {
    if (node === undefined) continue;
    memory += pool.maxNodes * node.memoryBytes;
    cpu += (pool.maxNodes * node.cpuMillicores) / 1000;
    pods += pool.maxNodes * OVH_KUBERNETES_LIMITS.maxPodsPerNode;
    if (node.memoryBytes > largest.memory) largest = { memory: node.memoryBytes, cpu: node.cpuMillicores / 1000, flavor: pool.flavor };
  }
  const text = `${sized.map(({ pool }) => `${pool.maxNodes} ${pool.flavor}`).join(" and ")} nodes`;
  return { memory, cpu, pods, node: largest, text };
}

interface TeamDemand {
  readonly index: number;
  readonly team: ResolvedTeam;
  readonly memory?: number;
  readonly cpu?: number;
}

function checkTeams(config: KubernetesEnvironmentConfig, problems: ProblemCollector): void {
  const teams = (config.teams ?? []) as readonly TeamSpec[];
  if (teams.length === 0) return;
  const capacity = applicationsCapacity(config.nodePools);
  if (capacity === undefined) return;
  const at = problems.at("teams");
  const demands: TeamDemand[] = [];
  const over = { memory: false, cpu: false };
  teams.forEach((spec, index) => {
    if (typeof spec !== "object" || spec === null || typeof spec.quota !== "object" || spec.quota === null) return;
    const team = resolveTeam(spec);
    if (!Array.isArray(team.namespaces)) return;
    const count = team.namespaces.length;
    const here = at.at(index);
    const per = {
      memory: read(team.quota.memory, (text) =>
        byteQuantityProblem(text, containerMemoryRule("memory")) === undefined ? memoryBytes(text) : undefined,
      ),
      cpu: read(team.quota.cpu, (text) => (cpuQuantityProblem(text, "CPU") === undefined ? cpuCores(text) : undefined)),
    };
    const demand = {
      index,
      team,
      memory: per.memory === undefined ? undefined : per.memory * count,
      cpu: per.cpu === undefined ? undefined : per.cpu * count,
    };
    demands.push(demand);
    const times = (quantity: string) => (count === 1 ? quantity : `${count} × ${quantity}`);
    const namespaces = `the team's ${count === 1 ? "namespace" : `${count} namespaces`}`;
    if (demand.memory !== undefined && demand.memory > capacity.memory) {
      over.memory = true;
      here.add(
        "quota.memory",
        `${namespaces} may request ${times(team.quota.memory)} of memory, more than the applications pools hold at maxNodes, ${memoryText(capacity.memory)} on ${capacity.text}`,
        team.quota.memory,
        `lower the quota to ${atMostMemory(capacity.memory / count)} or less, or raise the applications pools' maxNodes or flavor`,
      );
    }
    if (demand.cpu !== undefined && demand.cpu > capacity.cpu) {
      over.cpu = true;
      here.add(
        "quota.cpu",
        `${namespaces} may request ${times(team.quota.cpu)} CPU, more than the applications pools hold at maxNodes, ${cpuText(capacity.cpu)} on ${capacity.text}`,
        team.quota.cpu,
        `lower the quota to ${atMostCpu(capacity.cpu / count)} or less, or raise the applications pools' maxNodes or flavor`,
      );
    }
    if (Number.isInteger(team.quota.pods) && team.quota.pods * count > capacity.pods) {
      here.add(
        "quota.pods",
        `${namespaces} may run ${times(String(team.quota.pods))} pods, more than the applications pools run at maxNodes, ${capacity.pods} at OVHcloud's ${OVH_KUBERNETES_LIMITS.maxPodsPerNode} per node`,
        team.quota.pods,
        `lower it to ${Math.floor(capacity.pods / count)} or less, or raise the applications pools' maxNodes`,
      );
    }
    checkContainerDefaults(team.containerDefaults, capacity, here.at("containerDefaults"));
  });

  if (demands.length < 2) return;
  const total = (key: "memory" | "cpu") =>
    demands.every((demand) => demand[key] !== undefined) ? demands.reduce((sum, demand) => sum + (demand[key] ?? 0), 0) : undefined;
  const listed = demands.map((demand) => demand.team.name);
  const names = `${listed.slice(0, -1).join(", ")} and ${listed[listed.length - 1]}`;
  const memory = total("memory");
  if (!over.memory && memory !== undefined && memory > capacity.memory) {
    problems.add(
      "teams",
      `the teams ${names} together may request ${memoryText(memory)} of memory, more than the applications pools hold at maxNodes, ${memoryText(capacity.memory)} on ${capacity.text}`,
      memoryText(memory),
      "lower some teams' quota.memory, or raise the applications pools' maxNodes or flavor",
    );
  }
  const cpu = total("cpu");
  if (!over.cpu && cpu !== undefined && cpu > capacity.cpu) {
    problems.add(
      "teams",
      `the teams ${names} together may request ${cpuText(cpu)} CPU, more than the applications pools hold at maxNodes, ${cpuText(capacity.cpu)} on ${capacity.text}`,
      cpuText(cpu),
      "lower some teams' quota.cpu, or raise the applications pools' maxNodes or flavor",
    );
  }
}

/** The LimitRange's defaults must fit one node of the largest applications flavor, or a container that relies on them never starts. */
function checkContainerDefaults(defaults: ResourceRequirements, capacity: PoolCapacity, problems: ProblemCollector): void {
  const needs = needsOf(defaults);
  if (needs === undefined) return;
  const node = `one ${capacity.node.flavor} node of the applications pools`;
  const memory =
    needs.request.memory !== undefined && needs.request.memory > capacity.node.memory
      ? { field: "requests.memory", value: defaults.requests.memory }
      : needs.limit.memory !== undefined && needs.limit.memory > capacity.node.memory
        ? { field: "limits.memory", value: defaults.limits.memory }
        : undefined;
  if (memory !== undefined) {
    problems.add(
      memory.field,
      `a container left to the team's defaults would get ${memory.value} of memory, more than ${node} can allocate, ${memoryText(capacity.node.memory)}`,
      memory.value,
      `lower it to ${atMostMemory(capacity.node.memory)} or less`,
    );
  }
  if (needs.request.cpu !== undefined && needs.request.cpu > capacity.node.cpu) {
    problems.add(
      "requests.cpu",
      `a container left to the team's defaults would request ${defaults.requests.cpu} CPU, more than ${node} can allocate, ${cpuText(capacity.node.cpu)}`,
      defaults.requests.cpu,
      `lower it to ${atMostCpu(capacity.node.cpu)} or less`,
    );
  }
}

function read<T>(value: unknown, parse: (text: string) => T | undefined): T | undefined {
  return typeof value === "string" ? parse(value) : undefined;
}
