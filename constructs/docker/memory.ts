/** MiB per unit of a Kubernetes binary quantity. */
const MIB_PER_UNIT: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

/**
 * Docker's `memory` limit from a Kubernetes quantity such as `768Mi` or `2Gi`:
 * the provider reads it as MiB. The services' specs size memory for
 * Kubernetes; the same number caps the container locally.
 */
export function memoryMiB(quantity: string): number {
  const match = /^([1-9][0-9]*)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`memory ${JSON.stringify(quantity)} is not a quantity such as 512Mi or 2Gi`);
  return Math.ceil(Number(match[1]) * MIB_PER_UNIT[match[2]]);
}
