import { RETIRED_RULES, RULES } from "./catalogue";
import { PolicyRule } from "./rule";

/** Markers around the generated table in docs/policies.md. */
export const TABLE_START = "<!-- policy-table:start (generated from policies/catalogue.ts: npx tsx scripts/policy-table.ts) -->";
export const TABLE_END = "<!-- policy-table:end -->";

function row(rule: PolicyRule): string {
  const waive = rule.checks === "waivers" ? rule.waiveOn : `\`Policy.waive\` on ${rule.waiveOn}`;
  return `| \`${rule.id}\` | ${rule.title} | ${rule.applies} | ${rule.anchors.join("; ")} | ${rule.severity} | ${waive} |`;
}

/** The rule table, one row per rule of the catalogue, then the retired rules, whose ids stay reserved. */
export function policyTable(): string {
  return [
    "| id | rule | applies to | mirrors | severity | how to waive |",
    "|---|---|---|---|---|---|",
    ...RULES.map(row),
    "",
    "Retired rules (their ids are never reused; a waiver naming one is reported by PLAT-WAIVER-002):",
    "",
    "| id | rule | retired | why |",
    "|---|---|---|---|",
    ...RETIRED_RULES.map((rule) => `| \`${rule.id}\` | ${rule.title} | ${rule.since} | ${rule.why} |`),
  ].join("\n");
}

/** `readme` with the text between the markers replaced by the current table. */
export function withPolicyTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" block`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${policyTable()}\n${readme.slice(end)}`;
}
