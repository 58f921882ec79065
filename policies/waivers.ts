import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Waiver } from "../core/waivers";

export { Waiver, waiversOn } from "../core/waivers";

/** A waiver after the rules ran: whether it silenced anything. */
export interface WaiverUse extends Waiver {
  readonly used: boolean;
}

/** Short enough to allow "generic cluster", long enough to refuse "todo" and "n/a". */
export const MIN_REASON_LENGTH = 10;

/** Why a waiver cannot be accepted (no reason, or a whole stack at once), or undefined. */
export function waiverProblem(waiver: Waiver): string | undefined {
  if (waiver.reason.trim().length < MIN_REASON_LENGTH) {
    return `waiver of ${waiver.ruleId} has no reason (got ${JSON.stringify(waiver.reason)}); say why the rule does not apply here, in at least ${MIN_REASON_LENGTH} characters`;
  }
  if (TerraformStack.isStack(waiver.construct) || waiver.construct.node.scope === undefined) {
    return `waiver of ${waiver.ruleId} sits on a whole stack or app; put it on the one resource it is for`;
  }
  return undefined;
}

/**
 * The waiver that covers a finding of `ruleId` on `construct`: a valid one on
 * the construct itself or on any construct above it. An invalid waiver
 * silences nothing.
 */
export function findWaiver(waivers: readonly Waiver[], ruleId: string, construct: IConstruct): Waiver | undefined {
  const scopes = new Set<IConstruct>(construct.node.scopes);
  return waivers.find((waiver) => waiver.ruleId === ruleId && scopes.has(waiver.construct) && waiverProblem(waiver) === undefined);
}
