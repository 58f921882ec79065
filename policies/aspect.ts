import { Annotations, IAspect, TerraformStack } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
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
 *
 * The rules read the stack's JSON as synth writes it, resolved once: during
 * `app.synth()` the check runs last before the stack is written (its custom
 * synthesis step, after every aspect and validation) and hands the JSON it
 * read to the write, so the stack's tokens are not resolved twice. Elsewhere
 * (`Testing.synth`, or `stack.toTerraform()` called directly) the check runs
 * on the first JSON computed; `check(stack)` runs it on demand.
 */
export class PolicyAspect implements IAspect {
  private readonly reports = new WeakMap<IConstruct, StackPolicyReport>();
  /** Each attached stack's own `toTerraform`, which computes its JSON. */
  private readonly computeTerraform = new WeakMap<TerraformStack, () => unknown>();

  /**
   * @param tier what availability the stack's environment owes
   *   @default - from the stack's name (tierOfEnvironment)
   */
  constructor(
    private readonly tier?: EnvironmentTier,
    private readonly rules: readonly PolicyRule[] = RULES,
  ) {}

  /** The rules look at a whole stack at once (namespaces need their NetworkPolicies), so they run at the stack node, on its JSON. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this.attach(node);
  }

  /**
   * The stack's report. Evaluated and annotated once: main.ts checks before
   * `app.synth()`, which visits again and must not annotate twice.
   * @param terraform the stack's JSON as synth writes it @default - computed now
   */
  public check(stack: TerraformStack, terraform?: unknown): StackPolicyReport {
    const cached = this.reports.get(stack);
    if (cached !== undefined) return cached;
    const json = terraform ?? (this.computeTerraform.get(stack) ?? (() => stack.toTerraform()))();
    const report = evaluatePolicies(stack, this.tier ?? tierOfEnvironment(stack.node.id), this.rules, json);
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

  /** Makes the check part of the stack's synthesis, once per stack. */
  private attach(stack: TerraformStack): void {
    if (this.computeTerraform.has(stack)) return;
    const compute = stack.toTerraform.bind(stack);
    this.computeTerraform.set(stack, compute);
    // What the check read, for the write that follows it in the same synthesis.
    let handedOver: unknown;
    stack.toTerraform = () => {
      const json = handedOver ?? compute();
      handedOver = undefined;
      this.check(stack, json);
      return json;
    };
    // `cdktf synth --hcl` writes toHclTerraform() instead: nothing is handed over past it.
    const computeHcl = stack.toHclTerraform.bind(stack);
    stack.toHclTerraform = () => {
      handedOver = undefined;
      return computeHcl();
    };
    // cdktf runs custom synthesis after the aspects and validations, then collects the
    // annotations and writes toTerraform(): nothing can change the stack in between.
    addCustomSynthesis(stack, {
      onSynthesize: () => {
        if (this.reports.has(stack)) return;
        handedOver = compute();
        this.check(stack, handedOver);
      },
    });
  }
}
