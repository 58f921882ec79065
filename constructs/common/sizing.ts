import { ProblemCollector } from "../../core/problems";
import { isStorageQuantity } from "../../core/formats";
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

export function validateStorage(storage: StorageSpec | undefined, problems: ProblemCollector): void {
  if (storage === undefined) return;
  problems.check(
    isStorageQuantity(storage.size),
    "size",
    "storage size is not a Kubernetes quantity",
    storage.size,
    "use a whole number with a binary unit, e.g. 10Gi or 512Mi",
  );
  problems.check(
    storage.storageClass === undefined || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(storage.storageClass),
    "storageClass",
    "storage class is not a valid name",
    storage.storageClass,
    "use the name of a StorageClass of the cluster (kubectl get storageclass), or leave it unset for the default",
  );
}

export function validateResources(value: ResourceRequirements | undefined, problems: ProblemCollector): void {
  if (value === undefined) return;
  const cpu = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
  const memory = /^[1-9][0-9]*(Ki|Mi|Gi|Ti)$/;
  problems.check(
    cpu.test(value.requests.cpu),
    "requests.cpu",
    "CPU request is not a quantity",
    value.requests.cpu,
    "use millicores like 250m or cores like 1",
  );
  problems.check(
    memory.test(value.requests.memory),
    "requests.memory",
    "memory request is not a quantity",
    value.requests.memory,
    "use e.g. 256Mi or 2Gi",
  );
  problems.check(
    memory.test(value.limits.memory),
    "limits.memory",
    "memory limit is not a quantity",
    value.limits.memory,
    "use e.g. 256Mi or 2Gi",
  );
  if (value.limits.cpu !== undefined) {
    problems.check(
      cpu.test(value.limits.cpu),
      "limits.cpu",
      "CPU limit is not a quantity",
      value.limits.cpu,
      "use millicores like 500m or cores like 2",
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
