// Rewrites the rule table in docs/policies.md from the catalogue (a test fails while they differ).
import * as fs from "fs";
import * as path from "path";
import { withPolicyTable } from "../policies/readme-table";

const page = path.join(__dirname, "..", "docs", "policies.md");
fs.writeFileSync(page, withPolicyTable(fs.readFileSync(page, "utf8")));
