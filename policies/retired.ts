/**
 * Rules taken out of the catalogue. Their ids stay reserved (never reused
 * for another rule) and listed with why they went, and a waiver that still
 * names one is reported (PLAT-WAIVER-002).
 */
export interface RetiredRule<Id extends string = string> {
  readonly id: Id;
  /** The title it had, as the README table showed it. */
  readonly title: string;
  /** Why it was retired, and what covers its ground now, if anything. */
  readonly why: string;
  /** The date it left the catalogue, `YYYY-MM-DD`. */
  readonly since: string;
}

/** Keeps the literal id type, as defineRule does. */
function retire<Id extends `PLAT-${string}`>(rule: RetiredRule<Id>): RetiredRule<Id> {
  return rule;
}

export const RETIRED_RULES = [
  retire({
    id: "PLAT-K8S-008",
    title: "Long-running containers have readiness and liveness probes",
    why:
      "it could never fire on what the project ships: third-party charts render every long-running pod and own its probes, " +
      "and the only pods the project renders itself are Jobs, which run to completion and take no probes",
    since: "2026-11-27",
  }),
] as const;

/** The retired rule with this id, if any. */
export function retiredRule(id: string): RetiredRule | undefined {
  return RETIRED_RULES.find((rule) => rule.id === id);
}
