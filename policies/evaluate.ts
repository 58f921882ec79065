import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { EnvironmentTier } from "../environments/types";
import { buildInventory } from "./inventory";
import { PolicyRule, Severity } from "./rule";
import { findWaiver, Waiver, waiversOn } from "./waivers";

/** A finding that stands: errors fail synth, warnings are listed. */
export interface Violation {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly construct: IConstruct;
  /** Construct path, e.g. `dev/vault/helm/release`. */
  readonly path: string;
  readonly message: string;
}

/** A finding a waiver silenced, listed with the waiver's reason. */
export interface WaivedFinding {
  readonly ruleId: string;
  readonly construct: IConstruct;
  readonly path: string;
  readonly message: string;
  readonly reason: string;
}

export interface StackPolicyReport {
  readonly stack: string;
  readonly violations: readonly Violation[];
  readonly waived: readonly WaivedFinding[];
}

/**
 * Runs the rules over one stack: resource rules first, then the rules about the waivers they used.
 * `terraform` is the stack's synthesized JSON when the caller has it (see buildInventory).
 */
export function evaluatePolicies(
  stack: TerraformStack,
  tier: EnvironmentTier,
  rules: readonly PolicyRule[],
  terraform?: unknown,
): StackPolicyReport {
  const inventory = buildInventory(stack, tier, terraform);
  // Waivers above the stack are collected too, so that PLAT-WAIVER-001 can refuse them.
  const waivers: Waiver[] = [...stack.node.scopes, ...stack.node.findAll().slice(1)].flatMap(waiversOn);
  const used = new Set<Waiver>();
  const violations: Violation[] = [];
  const waived: WaivedFinding[] = [];
  const stand = (rule: PolicyRule, construct: IConstruct, message: string) =>
    violations.push({ ruleId: rule.id, severity: rule.severity, construct, path: construct.node.path, message });

  for (const rule of rules) {
    if (rule.checks !== "resources") continue;
    for (const finding of rule.check(inventory)) {
      const waiver = findWaiver(waivers, rule.id, finding.construct);
      if (waiver === undefined) {
        stand(rule, finding.construct, finding.message);
        continue;
      }
      used.add(waiver);
      waived.push({
        ruleId: rule.id,
        construct: finding.construct,
        path: finding.construct.node.path,
        message: finding.message,
        reason: waiver.reason,
      });
    }
  }
  const uses = waivers.map((waiver) => ({ ...waiver, used: used.has(waiver) }));
  for (const rule of rules) {
    if (rule.checks !== "waivers") continue;
    for (const finding of rule.check(uses)) stand(rule, finding.construct, finding.message);
  }
  return { stack: stack.node.id, violations, waived };
}
