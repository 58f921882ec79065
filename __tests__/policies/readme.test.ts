import * as fs from "fs";
import * as path from "path";
import { TABLE_END, TABLE_START, withPolicyTable } from "../../policies/readme-table";

describe("docs/policies.md", () => {
  test("the rule table matches the catalogue (regenerate: npx tsx scripts/policy-table.ts)", () => {
    const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policies.md"), "utf8");
    expect(page).toContain(TABLE_START);
    expect(page).toContain(TABLE_END);
    expect(page).toBe(withPolicyTable(page));
  });
});
