/**
 * Prints the stacks as a JSON list on one line, for CI's matrices, in apply
 * order; each entry is `{ name, environment, kind }`, and a `vault` stack's
 * also says how CI reaches that Vault (stacks/stack-names.ts, StackEntry):
 *
 *   npm run -s stacks            # the stacks CI plans and applies (shared state)
 *   npm run -s stacks -- --all   # every stack the program synthesizes
 */
import { ConfigurationError } from "../../core/problems";
import { EnvironmentSource, loadEnvironments } from "../../environments/load";
import { allStacks, ciStacks } from "../../stacks/stack-names";

const USAGE = "usage: npm run -s stacks [-- --all]";
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(
    `${USAGE}\n\nPrints the stacks CI plans (those with shared state), in apply order, as a JSON list of {name, environment, kind}; --all: every stack.`,
  );
} else if (args.some((arg) => arg !== "--all")) {
  console.error(`stacks: unknown argument ${args.find((arg) => arg !== "--all")}\n${USAGE}`);
  process.exitCode = 1;
} else {
  let environments: EnvironmentSource[] | undefined;
  try {
    environments = loadEnvironments();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
  if (environments) console.log(JSON.stringify(args.includes("--all") ? allStacks(environments) : ciStacks(environments)));
}
