import { retiredRule } from "../retired";
import { defineRule } from "../rule";
import { Waiver, waiverProblem } from "../waivers";

const APPLIES_WAIVERS = "the waivers on the stack's constructs";

export const waiverHasReason = defineRule({
  id: "PLAT-WAIVER-001",
  title: "Waivers give a reason and name one resource",
  anchors: ["Checkov skip comments (`checkov:skip=ID:reason`)", "Polaris exemptions"],
  severity: "error",
  waiveOn: "cannot be waived (an invalid waiver silences nothing)",
  applies: APPLIES_WAIVERS,
  checks: "waivers",
  check: (waivers) =>
    waivers.flatMap((waiver) => {
      const message = waiverProblem(waiver);
      return message === undefined ? [] : [{ construct: waiver.construct, message }];
    }),
});

export const waiverUsed = defineRule({
  id: "PLAT-WAIVER-002",
  title: "Waivers that silence nothing are removed",
  anchors: ["Polaris exemptions", "kube-linter ignore annotations"],
  severity: "warning",
  waiveOn: "cannot be waived",
  applies: APPLIES_WAIVERS,
  checks: "waivers",
  check: (waivers) =>
    waivers
      .filter((waiver) => !waiver.used && waiverProblem(waiver) === undefined)
      .map((waiver) => ({ construct: waiver.construct, message: unusedWaiverMessage(waiver) })),
});

function unusedWaiverMessage(waiver: Waiver): string {
  const retired = retiredRule(waiver.ruleId);
  if (retired !== undefined) {
    return `waiver of ${waiver.ruleId} names a retired rule ("${retired.title}", retired ${retired.since}: ${retired.why}), which never fires; remove it`;
  }
  return `waiver of ${waiver.ruleId} matches no finding (the rule passes, or the id is wrong); remove it`;
}
