import { Annotations, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { tierOfEnvironment } from "../core/tiers";
import { EnvironmentTier } from "../environments/types";
import { RULES } from "./catalogue";
import { evaluatePolicies, StackPolicyReport } from "./evaluate";
import { PolicyRule } from "./rule";

/**
 * Checks a stack against the rule catalogue when it is synthesized. Added to
 * each stack (cdktf never invokes aspects added to the App). Errors become
 * error annotations, which make `app.synth()` throw; warnings and waivers are
 * annotated too.
 */
export class PolicyAspect implements IAspect {
  private readonly reports = new WeakMap<IConstruct, StackPolicyReport>();

  /**
   * @param tier what availability the stack's environment owes
   *   @default - from the stack's name (tierOfEnvironment)
   */
  constructor(
    private readonly tier?: EnvironmentTier,
    private readonly rules: readonly PolicyRule[] = RULES,
  ) {}

  /** The rules look at a whole stack at once (namespaces need their NetworkPolicies), so they run at the stack node. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this.check(node);
  }

  /**
   * The stack's report. Evaluated and annotated once: main.ts checks before
   * `app.synth()`, which visits again and must not annotate twice.
   */
  public check(stack: TerraformStack): StackPolicyReport {
    const cached = this.reports.get(stack);
    if (cached !== undefined) return cached;
    const report = evaluatePolicies(stack, this.tier ?? tierOfEnvironment(stack.node.id), this.rules);
    for (const violation of report.violations) {
      const annotations = Annotations.of(violation.construct);
      const text = `${violation.ruleId}: ${violation.message}`;
      if (violation.severity === "error") annotations.addError(text);
      else annotations.addWarning(text);
    }
    for (const waived of report.waived) {
      Annotations.of(waived.construct).addInfo(`waived ${waived.ruleId}: ${waived.reason}`);
    }
    this.reports.set(stack, report);
    return report;
  }
}
