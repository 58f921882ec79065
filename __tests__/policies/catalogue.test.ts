import { Testing } from "cdktf";
import { RETIRED_RULES, RetiredRuleId, RuleId, RULES } from "../../policies/catalogue";
import { Policy } from "../../policies/policy";
import { FIXTURES } from "./fixtures";
import { testFixtures } from "./support/fixture";

// One file for every fixture: each jest test file pays for loading cdktf and the providers again.
describe("rule fixtures", () => testFixtures(FIXTURES));

describe("rule catalogue", () => {
  test("every rule has at least one known-good and one known-bad fixture", () => {
    const missing = RULES.flatMap((rule) =>
      (["good", "bad"] as const)
        .filter((verdict) => !FIXTURES.some((fixture) => fixture.rule === rule.id && fixture.verdict === verdict))
        .map((verdict) => `${rule.id} has no ${verdict} fixture`),
    );
    expect(missing).toEqual([]);
  });

  test("every bad fixture expects its own rule to fire", () => {
    const wrong = FIXTURES.filter((fixture) => fixture.verdict === "bad" && !fixture.fires.includes(fixture.rule));
    expect(wrong.map((fixture) => fixture.name)).toEqual([]);
  });

  test("rule ids are unique and well-formed, and every rule is documented", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^PLAT-[A-Z0-9]+-\d{3}$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.anchors.length).toBeGreaterThan(0);
      expect(rule.waiveOn.length).toBeGreaterThan(0);
      expect(rule.applies.length).toBeGreaterThan(10);
    }
  });

  test("retired rules keep their ids reserved: listed with why and since when, never active again", () => {
    const active = new Set<string>(RULES.map((rule) => rule.id));
    for (const rule of RETIRED_RULES) {
      expect(rule.id).toMatch(/^PLAT-[A-Z0-9]+-\d{3}$/);
      expect(active.has(rule.id)).toBe(false);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(new Set(RETIRED_RULES.map((rule) => rule.id)).size).toBe(RETIRED_RULES.length);
    // The same at compile time: no id is both.
    const disjoint: [Extract<RuleId, RetiredRuleId>] extends [never] ? true : false = true;
    expect(disjoint).toBe(true);
  });

  test("Policy.waive takes active rule ids only (checked by tsc)", () => {
    const construct = Testing.app();
    Policy.waive(construct, "PLAT-K8S-007", "a reason long enough for the test");
    // @ts-expect-error PLAT-K8S-008 is retired
    Policy.waive(construct, "PLAT-K8S-008", "a reason long enough for the test");
    expect(construct.node.metadata.map((entry) => (entry.data as { ruleId: string }).ruleId)).toEqual(["PLAT-K8S-007", "PLAT-K8S-008"]);
  });
});
