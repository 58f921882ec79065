/**
 * Waivers: a construct's declaration that one policy rule does not apply to
 * it, with the reason. Recorded as node metadata so that constructs need not
 * import the policy engine.
 */
import { IConstruct } from "constructs";

/** Node metadata type under which waivers are recorded. */
export const WAIVER_METADATA_TYPE = "platform/policy-waiver";

/** One rule waived for one construct and everything below it. */
export interface Waiver {
  readonly construct: IConstruct;
  readonly ruleId: string;
  readonly reason: string;
}

/** A policy rule id, `PLAT-<AREA>-<NNN>`; the policies refuse a waiver of an id they do not know. */
export type PolicyRuleId = `PLAT-${string}-${string}`;

/**
 * Waives one policy rule for `construct` and everything below it, e.g. the
 * release whose chart cannot meet it. The reason is mandatory and is printed
 * with every synth. Constructs call this; the policies (`policies/`), which
 * run at synth, read it.
 */
export function waive(construct: IConstruct, ruleId: PolicyRuleId, reason: string): void {
  construct.node.addMetadata(WAIVER_METADATA_TYPE, { ruleId, reason });
}

/** The waivers recorded on exactly this construct. */
export function waiversOn(construct: IConstruct): Waiver[] {
  const waivers: Waiver[] = [];
  for (const entry of construct.node.metadata) {
    if (entry.type !== WAIVER_METADATA_TYPE) continue;
    const data: unknown = entry.data;
    if (typeof data !== "object" || data === null) continue;
    const ruleId = "ruleId" in data && typeof data.ruleId === "string" ? data.ruleId : "";
    const reason = "reason" in data && typeof data.reason === "string" ? data.reason : "";
    waivers.push({ construct, ruleId, reason });
  }
  return waivers;
}
