import { RULES } from "../../policies/catalogue";
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
});
