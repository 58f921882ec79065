import * as fs from "fs";
import * as path from "path";
import { withPolicyTable } from "../../policies/readme-table";

describe("README", () => {
  test("the Policies rule table matches the catalogue (regenerate: npx tsx scripts/policy-table.ts)", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).toBe(withPolicyTable(readme));
  });
});
