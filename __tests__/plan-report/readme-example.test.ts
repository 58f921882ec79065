import * as fs from "fs";
import * as path from "path";
import { fixture } from "./support";
import { cli } from "./support-cli";

test("the README's example comment is what the tool writes for its fixtures", async () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const example = readme.match(/\n### Example\n[\s\S]*?\n````markdown\n([\s\S]*?)\n````\n/);
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
