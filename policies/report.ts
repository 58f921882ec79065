import { Aspects, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyAspect } from "./aspect";
import { StackPolicyReport, Violation, WaivedFinding } from "./evaluate";

/** The policy outcome of every stack of an app. */
export interface PolicyReport {
  readonly stacks: readonly StackPolicyReport[];
  readonly errors: readonly Violation[];
  readonly warnings: readonly Violation[];
  readonly waived: readonly WaivedFinding[];
}

/**
 * Runs each stack's policy aspect now, before synth, so that every stack's
 * problems are listed at once and nothing is written when one fails.
 * Throws when a stack has no policy aspect: it would synthesize unchecked.
 */
export function checkPolicies(app: IConstruct): PolicyReport {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const reports = stacks.map((stack) => {
    const aspect = Aspects.of(stack).all.find((candidate) => candidate instanceof PolicyAspect);
    if (!(aspect instanceof PolicyAspect)) {
      throw new Error(`stack ${stack.node.id} has no policy aspect; create it with createEnvironmentStack or call Policy.enforce(stack)`);
    }
    return aspect.check(stack);
  });
  const violations = reports.flatMap((report) => report.violations);
  return {
    stacks: reports,
    errors: violations.filter((violation) => violation.severity === "error"),
    warnings: violations.filter((violation) => violation.severity === "warning"),
    waived: reports.flatMap((report) => report.waived),
  };
}

/**
 * One line per problem, `<level>: <rule id> at <construct path>: <what to change>`,
 * and one per waived finding; empty when there is nothing to say.
 */
export function formatPolicyReport(report: PolicyReport): string {
  const lines = [
    ...report.errors.map((violation) => `  error: ${violation.ruleId} at ${violation.path}: ${violation.message}`),
    ...report.warnings.map((violation) => `  warning: ${violation.ruleId} at ${violation.path}: ${violation.message}`),
    ...unique(report.waived.map((waived) => `  waived: ${waived.ruleId} at ${waived.path}: ${waived.reason}`)),
  ];
  if (lines.length === 0) return "";
  const counts = `${plural(report.errors.length, "error")}, ${plural(report.warnings.length, "warning")}, ${report.waived.length} waived`;
  const outcome =
    report.errors.length > 0
      ? "Nothing was synthesized: fix each error, or waive it on its resource with Policy.waive(construct, id, reason) (docs/policies.md)."
      : undefined;
  return [`Policy: ${counts}`, ...lines, ...(outcome ? [outcome] : [])].join("\n");
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}
