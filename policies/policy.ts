import { Aspects, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { EnvironmentTier } from "../environments/types";
import { PolicyAspect } from "./aspect";
import { RuleId } from "./catalogue";
import { checkPolicies, PolicyReport } from "./report";
import { waive } from "../core/waivers";

/** The policies' entry points: enforce them on a stack, waive one rule for one resource, check an app. */
export class Policy {
  /**
   * Adds the policy aspect to a stack (once). Every environment stack gets it
   * in createEnvironmentStack, with its environment's tier.
   * @param tier @default - from the stack's name (tierOfEnvironment)
   */
  public static enforce(stack: TerraformStack, tier?: EnvironmentTier): PolicyAspect {
    const existing = Aspects.of(stack).all.find((aspect) => aspect instanceof PolicyAspect);
    if (existing instanceof PolicyAspect) return existing;
    const aspect = new PolicyAspect(tier);
    Aspects.of(stack).add(aspect);
    return aspect;
  }

  /**
   * Waives one rule for `construct` and everything below it, e.g. the
   * `PlatformRelease` whose chart cannot meet it. The reason is mandatory
   * (a blank or short one is itself an error, PLAT-WAIVER-001) and is
   * printed with every synth.
   */
  public static waive(construct: IConstruct, ruleId: RuleId, reason: string): void {
    waive(construct, ruleId, reason);
  }

  /** Checks every stack of an app now; see checkPolicies. */
  public static check(app: IConstruct): PolicyReport {
    return checkPolicies(app);
  }
}
