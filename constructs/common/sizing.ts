import { Breach } from "../../core/ha-rules";
import { ProblemCollector } from "../../core/problems";
import { cpuCores, formatBytes, kubernetesQuantity, memoryBytes } from "../../core/quantities";
import * as v from "valibot";
import { schemaOf } from "../../core/schema";

/** CPU and memory a container asks for (requests) and may not exceed (limits). */
export interface ResourceSpec {
  /** e.g. `100m`, `1` */
  readonly cpu: string;
  /** e.g. `256Mi`, `2Gi` */
  readonly memory: string;
}

/** Kubernetes resource requirements. Memory limit = request avoids OOM surprises under node pressure. */
export interface ResourceRequirements {
  readonly requests: ResourceSpec;
  readonly limits: { readonly memory: string; readonly cpu?: string };
}

/** A persistent volume claim's size and class. */
export interface StorageSpec {
  /** Volume size, e.g. `10Gi`. */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** requests = limits for memory; CPU is requested but not capped (throttling hurts latency more than it saves). */
export function resources(cpu: string, memory: string): ResourceRequirements {
  return { requests: { cpu, memory }, limits: { memory } };
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/**
 * The least memory a container may request or be limited to. The platform's smallest containers
 * (exporters, sidecars, jobs) are sized 64Mi; below 16Mi a Go or JVM runtime is OOM-killed while it
 * starts, and Docker refuses limits under 6MB outright.
 */
export const MIN_CONTAINER_MEMORY_BYTES = 16 * MiB;

/**
 * The smallest volume: block storage such as OVHcloud's Cinder is provisioned in whole gibibytes, so
 * a smaller claim is rounded up or refused, and the platform's data volumes (raft log, AOF, WAL,
 * Kafka segments, TSDB blocks) outgrow less within hours.
 */
export const MIN_VOLUME_BYTES = GiB;

/**
 * The most CPU one platform container may request or be limited to: 64 cores, the largest OVHcloud
 * flavor's. More is a forgotten `m` ("250" is 250 cores, "250m" a quarter of one).
 */
export const MAX_CONTAINER_CPU_CORES = 64;

/** What a byte quantity is: its name in messages, its minimum and why. */
export interface ByteQuantityRule {
  /** e.g. "memory request", "storage size". */
  readonly what: string;
  readonly minimum: number;
  /** Completes "below <minimum>, …". */
  readonly why: string;
  /** Memory or a volume: decides the unit a bare number most likely meant. */
  readonly kind: "memory" | "storage";
}

/** Memory a container requests or is limited to. */
export function containerMemoryRule(what: string): ByteQuantityRule {
  return { what, minimum: MIN_CONTAINER_MEMORY_BYTES, why: "too little for a container's process to start", kind: "memory" };
}

/** A persistent volume's size, or a quota of them. */
export function volumeRule(what: string): ByteQuantityRule {
  return { what, minimum: MIN_VOLUME_BYTES, why: "volumes are provisioned in whole gibibytes", kind: "storage" };
}

const BARE_NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/;
/** A number and a unit, as people write them when they are not Kubernetes quantities: "10GB", "512 MiB", "2 gb". */
const NUMBER_AND_WORD = /^\s*([0-9]+\.?[0-9]*|\.[0-9]+)\s*([A-Za-z]*)\s*$/;
/** Units people write for bytes, by the binary Kubernetes unit they mean. */
const BYTE_UNIT_TYPOS: Readonly<Record<string, string>> = {
  k: "Ki",
  kb: "Ki",
  kib: "Ki",
  ki: "Ki",
  m: "Mi",
  mb: "Mi",
  mib: "Mi",
  mi: "Mi",
  g: "Gi",
  gb: "Gi",
  gib: "Gi",
  gi: "Gi",
  t: "Ti",
  tb: "Ti",
  tib: "Ti",
  ti: "Ti",
};
const UNITS_NOTE = "units are Ki, Mi, Gi, Ti, or k, M, G, T for powers of ten, case-sensitive";

/** The quantity a bare number of bytes most likely meant: "512" → "512Mi", "2" → "2Gi" for memory; "10" → "10Gi" for a volume. */
function likelyBytes(number: string, kind: ByteQuantityRule["kind"]): string {
  const value = Number(number);
  if (value >= MiB) return Number.isInteger(value / MiB) ? formatBytes(value) : `${Math.ceil(value / MiB)}Mi`;
  const gibibytesBelow = kind === "memory" ? 64 : 1024;
  return `${number}${value < gibibytesBelow ? "Gi" : "Mi"}`;
}

/**
 * Why `value` is not a sane amount of bytes for `rule`, or undefined: not a Kubernetes quantity
 * (with the quantity it probably meant), negative, without a unit (bytes: refused, with the unit
 * it probably meant), in thousandths of a byte (`m` is milli), or below the rule's minimum.
 */
export function byteQuantityProblem(value: string, rule: ByteQuantityRule): Breach | undefined {
  const { what } = rule;
  const bytes = memoryBytes(value);
  if (bytes === undefined) {
    const written = NUMBER_AND_WORD.exec(value);
    const unit = written === null ? undefined : written[2] === "" ? "" : BYTE_UNIT_TYPOS[written[2].toLowerCase()];
    const fix =
      written === null || unit === undefined
        ? `write a number and a unit, e.g. ${rule.kind === "memory" ? '"512Mi" or "2Gi"' : '"10Gi"'}`
        : `write "${unit === "" ? likelyBytes(written[1], rule.kind) : `${written[1]}${unit}`}"; ${UNITS_NOTE}`;
    return { message: `${what} is not a Kubernetes quantity`, fix };
  }
  if (bytes < 0) return { message: `${what} is negative`, fix: `use ${formatBytes(rule.minimum)} or more` };
  if (BARE_NUMBER.test(value) && bytes > 0) {
    const number = value.replace(/^\+/, "");
    return {
      message: `${what} has no unit, so Kubernetes reads it as ${number} bytes`,
      fix: `write "${likelyBytes(number, rule.kind)}"; ${UNITS_NOTE}`,
    };
  }
  const milli = /^\+?([0-9]+\.?[0-9]*|\.[0-9]+)m$/.exec(value);
  if (milli !== null) {
    return { message: `${what} counts thousandths of a byte: m is milli, Mi is mebi`, fix: `write "${milli[1]}Mi"` };
  }
  if (bytes < rule.minimum) {
    return {
      message: `${what} is ${formatBytes(bytes)}, below ${formatBytes(rule.minimum)}: ${rule.why}`,
      fix: `use ${formatBytes(rule.minimum)} or more`,
    };
  }
  return undefined;
}

/** Units people write for CPU, by what they mean. */
const CPU_WORDS: Readonly<Record<string, "" | "m">> = {
  core: "",
  cores: "",
  cpu: "",
  cpus: "",
  vcpu: "",
  vcpus: "",
  mc: "m",
  millicore: "m",
  millicores: "m",
  millicpu: "m",
};
const CPU_EXAMPLE = 'write cores like "1" or "0.5", or millicores like "250m"';

/**
 * Why `value` is not a sane amount of CPU, or undefined: not a Kubernetes quantity (with what it
 * probably meant), a unit that is not a CPU's, negative, zero, finer than a millicore (which
 * Kubernetes rounds up), or above `max` cores when one is given.
 */
export function cpuQuantityProblem(value: string, what: string, max?: number): Breach | undefined {
  const cores = cpuCores(value);
  if (cores === undefined) {
    const written = NUMBER_AND_WORD.exec(value);
    const unit = written === null ? undefined : CPU_WORDS[written[2].toLowerCase()];
    const fix = written === null || unit === undefined ? CPU_EXAMPLE : `write "${written[1]}${unit}"`;
    return { message: `${what} is not a Kubernetes quantity`, fix };
  }
  const suffix = /[^0-9.]+$/.exec(value.replace(/^[+-]/, ""))?.[0] ?? "";
  if (suffix !== "" && suffix !== "m") {
    return { message: `${what} has the unit "${suffix}", which is not a CPU unit`, fix: CPU_EXAMPLE };
  }
  if (cores < 0) return { message: `${what} is negative`, fix: 'use 1m or more, e.g. "50m"' };
  if (cores === 0) {
    return {
      message: `${what} is 0, which guarantees no CPU under contention`,
      fix: 'use 1m or more, e.g. "50m"',
    };
  }
  // Kubernetes schedules whole millicores and rounds a finer value up.
  const exact = kubernetesQuantity(value) ?? cores;
  if (!Number.isInteger(Math.round(exact * 1e9) / 1e6)) {
    return {
      message: `${what} is finer than a millicore, and Kubernetes rounds it up to ${Math.round(cores * 1000)}m`,
      fix: `write whole millicores, e.g. "${Math.round(cores * 1000)}m"`,
    };
  }
  if (max !== undefined && cores > max) {
    const plain = /^\+?[0-9]+$/.test(value);
    return {
      message: `${what} is ${cores} cores, more than the ${max} one container may have; a number without m counts cores`,
      fix: plain ? `did you mean "${value.replace(/^\+/, "")}m"? Otherwise use at most ${max}` : `use at most ${max}`,
    };
  }
  return undefined;
}

export function validateStorage(storage: StorageSpec | undefined, problems: ProblemCollector): void {
  if (storage === undefined) return;
  const size = byteQuantityProblem(storage.size, volumeRule("storage size"));
  if (size !== undefined) problems.add("size", size.message, storage.size, size.fix);
  problems.check(
    storage.storageClass === undefined || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(storage.storageClass),
    "storageClass",
    "storage class is not a valid name",
    storage.storageClass,
    "use the name of a StorageClass of the cluster, as kubectl get storageclass lists them, or leave it unset for the default",
  );
}

/**
 * Checks a container's requests and limits: each a quantity in its unit and in sane bounds
 * (memory MIN_CONTAINER_MEMORY_BYTES and more, CPU from 1m to MAX_CONTAINER_CPU_CORES), and
 * requests at most the limits, which Kubernetes refuses otherwise.
 */
export function validateResources(value: ResourceRequirements | undefined, problems: ProblemCollector): void {
  if (value === undefined) return;
  const memory = (field: "requests" | "limits", quantity: string): number | undefined => {
    const what = field === "requests" ? "memory request" : "memory limit";
    const problem = byteQuantityProblem(quantity, containerMemoryRule(what));
    if (problem !== undefined) problems.add(`${field}.memory`, problem.message, quantity, problem.fix);
    return problem === undefined ? memoryBytes(quantity) : undefined;
  };
  const cpu = (field: "requests" | "limits", quantity: string): number | undefined => {
    const problem = cpuQuantityProblem(quantity, field === "requests" ? "CPU request" : "CPU limit", MAX_CONTAINER_CPU_CORES);
    if (problem !== undefined) problems.add(`${field}.cpu`, problem.message, quantity, problem.fix);
    return problem === undefined ? cpuCores(quantity) : undefined;
  };
  const requestedCpu = cpu("requests", value.requests.cpu);
  const requestedMemory = memory("requests", value.requests.memory);
  const memoryLimit = memory("limits", value.limits.memory);
  const cpuLimit = value.limits.cpu === undefined ? undefined : cpu("limits", value.limits.cpu);
  if (requestedMemory !== undefined && memoryLimit !== undefined && requestedMemory > memoryLimit) {
    problems.add(
      "requests.memory",
      `memory request is above the memory limit, ${value.limits.memory}, and Kubernetes refuses such a pod`,
      value.requests.memory,
      "request at most the limit; the platform requests as much memory as it limits",
    );
  }
  if (requestedCpu !== undefined && cpuLimit !== undefined && requestedCpu > cpuLimit) {
    problems.add(
      "requests.cpu",
      `CPU request is above the CPU limit, ${value.limits.cpu}, and Kubernetes refuses such a pod`,
      value.requests.cpu,
      "request at most the limit, or leave the CPU limit out",
    );
  }
}

/** The shape of a StorageSpec; `validateStorage` checks its values. */
export const STORAGE_SCHEMA = schemaOf<StorageSpec>()(v.strictObject({ size: v.string(), storageClass: v.optional(v.string()) }));

/** The shape of ResourceRequirements; `validateResources` checks its values. */
export const RESOURCES_SCHEMA = schemaOf<ResourceRequirements>()(
  v.strictObject({
    requests: v.strictObject({ cpu: v.string(), memory: v.string() }),
    limits: v.strictObject({ memory: v.string(), cpu: v.optional(v.string()) }),
  }),
);
