import * as fs from "fs";
import * as path from "path";
import { fixture } from "./support";
import { cli } from "./support-cli";

test("the example comment in docs/pull-request-plans.md is what the tool writes for its fixtures", async () => {
  const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "pull-request-plans.md"), "utf8");
  const example = page.match(/\n## Example\n[\s\S]*?\n````markdown\n([\s\S]*?)\n````\n/);
  expect(example).not.toBeNull();
  const run = await cli([
    "--details-url",
    "https://github.com/acme/platform/actions/runs/1234",
    `dev=${fixture("kubernetes-stateful.json")}`,
    `production=${fixture("no-changes.json")}`,
  ]);
  expect(run.status).toBe(2);
  // To refresh it: npm run -s plan-report -- --details-url <that url> dev=<fixture> production=<fixture>
  expect(example?.[1]).toBe(run.stdout.replace(/\n$/, ""));
});
