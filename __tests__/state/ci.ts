/**
 * When a test that needs an installed tool (Terraform) may skip without it.
 *
 * The rule: the `CI` environment variable decides. CI is set when `CI` holds
 * anything but an empty string, "0" or "false" (any case, surrounding spaces
 * ignored): GitHub Actions and most CI services set CI=true, and the project's
 * .ci/run may. Under CI a missing tool fails the test, because a skipped test
 * in CI looks like a passing one; on a developer's laptop (CI unset, or
 * CI=false) it skips with a message.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export function isCi(env: Env): boolean {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}

export interface ToolRequirement {
  /** The test, as a reader of the output knows it, e.g. "the real state test". */
  readonly test: string;
  readonly tool: string;
  /** Why the tool cannot run, e.g. "is not on PATH (…)"; undefined when it runs. */
  readonly problem: string | undefined;
  /** How to get it, a sentence. */
  readonly install: string;
}

/** What a test does about its tool: run, skip with a message, or fail with one. */
export type ToolDecision = { readonly action: "run" } | { readonly action: "skip" | "fail"; readonly message: string };

export function toolDecision(requirement: ToolRequirement, env: Env): ToolDecision {
  const { test, tool, problem, install } = requirement;
  if (problem === undefined) return { action: "run" };
  if (isCi(env)) {
    return {
      action: "fail",
      message:
        `CI is set (CI=${JSON.stringify(env.CI)}) but \`${tool}\` ${problem}: ${test} cannot run, ` +
        `and under CI it fails instead of skipping unnoticed. ${install}`,
    };
  }
  return { action: "skip", message: `SKIPPED ${test}: \`${tool}\` ${problem}. ${install}` };
}
