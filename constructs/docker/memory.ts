import { memoryBytes } from "../../core/quantities";

/**
 * Docker's `memory` limit from a Kubernetes quantity such as `768Mi`, `1.5Gi` or `2G`: the
 * provider reads it as MiB, so it is rounded up to a whole MiB. The services' specs size memory
 * for Kubernetes; the same number caps the container locally.
 */
export function memoryMiB(quantity: string): number {
  const bytes = memoryBytes(quantity);
  if (bytes === undefined || bytes <= 0) throw new Error(`memory ${JSON.stringify(quantity)} is not a quantity such as 512Mi or 2Gi`);
  return Math.ceil(bytes / 2 ** 20);
}
