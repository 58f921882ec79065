import { RULES } from "./catalogue";

/** Markers around the generated table in README.md. */
export const TABLE_START = "<!-- policy-table:start (generated from policies/catalogue.ts: npx tsx scripts/policy-table.ts) -->";
export const TABLE_END = "<!-- policy-table:end -->";

/** The README's rule table, one row per rule of the catalogue. */
export function policyTable(): string {
  const rows = RULES.map((rule) => {
    const waive = rule.checks === "waivers" ? rule.waiveOn : `\`Policy.waive\` on ${rule.waiveOn}`;
    return `| \`${rule.id}\` | ${rule.title} | ${rule.anchors.join("; ")} | ${rule.severity} | ${waive} |`;
  });
  return ["| id | rule | mirrors | severity | how to waive |", "|---|---|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the current table. */
export function withPolicyTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" block`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${policyTable()}\n${readme.slice(end)}`;
}
