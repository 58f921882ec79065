// Rewrites the rule table in README.md from the catalogue (a test fails while they differ).
import * as fs from "fs";
import * as path from "path";
import { withPolicyTable } from "../policies/readme-table";

const readme = path.join(__dirname, "..", "README.md");
fs.writeFileSync(readme, withPolicyTable(fs.readFileSync(readme, "utf8")));
