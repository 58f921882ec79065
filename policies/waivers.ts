import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/** Node metadata type under which waivers are recorded. */
export const WAIVER_METADATA_TYPE = "platform/policy-waiver";

/** One rule waived for one construct and everything below it. */
export interface Waiver {
  readonly construct: IConstruct;
  readonly ruleId: string;
  readonly reason: string;
}

/** A waiver after the rules ran: whether it silenced anything. */
export interface WaiverUse extends Waiver {
  readonly used: boolean;
}

/** Records a waiver on a construct's node; policies read it at synth. */
export function addWaiver(construct: IConstruct, ruleId: string, reason: string): void {
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
