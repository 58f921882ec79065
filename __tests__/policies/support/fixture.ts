import { App, TerraformStack, Testing } from "cdktf";
import { dev } from "../../../environments/dev";
import { local } from "../../../environments/local";
import { EnvironmentTier } from "../../../environments/types";
import { RuleId } from "../../../policies/catalogue";
import { Policy } from "../../../policies/policy";
import { configureStateBackend } from "../../../stacks/state-backend";

/**
 * A known-good or known-bad stack for one rule, in the style of Checkov's and
 * Polaris' test fixtures: it states exactly which rule ids fire on it.
 */
export interface PolicyFixture {
  readonly rule: RuleId;
  readonly verdict: "good" | "bad";
  readonly name: string;
  /** The stack name, which is the environment. */
  readonly environment: string;
  /** Every rule id expected to fire: none for a good fixture. */
  readonly fires: readonly RuleId[];
  /** Whether the stack gets the project's own (compliant) state backend. */
  readonly backend: boolean;
  /** The tier the stack is enforced with; undefined lets the policies derive it from the name. */
  readonly tier?: EnvironmentTier;
  readonly build: (stack: TerraformStack) => void;
}

export interface FixtureOptions {
  /** @default "dev" */
  readonly environment?: string;
  /** Other rules a bad fixture necessarily breaks too. @default [] */
  readonly alsoFires?: readonly RuleId[];
  /** @default true */
  readonly backend?: boolean;
  /** @default - derived from the environment's name */
  readonly tier?: EnvironmentTier;
}

export function good(rule: RuleId, name: string, build: (stack: TerraformStack) => void, options: FixtureOptions = {}): PolicyFixture {
  return {
    rule,
    verdict: "good",
    name,
    build,
    environment: options.environment ?? "dev",
    fires: [],
    backend: options.backend ?? true,
    tier: options.tier,
  };
}

export function bad(rule: RuleId, name: string, build: (stack: TerraformStack) => void, options: FixtureOptions = {}): PolicyFixture {
  return {
    rule,
    verdict: "bad",
    name,
    build,
    environment: options.environment ?? "dev",
    fires: [rule, ...(options.alsoFires ?? [])],
    backend: options.backend ?? true,
    tier: options.tier,
  };
}

/** An environment stack as the project builds it: state backend and policies, nothing else. */
export function fixtureStack(environment = "dev", backend = true, tier?: EnvironmentTier): TerraformStack {
  const stack = new TerraformStack(Testing.app(), environment);
  if (backend) configureStateBackend(stack, environment === "local" ? local : dev);
  Policy.enforce(stack, tier);
  return stack;
}

/** The sorted, distinct ids of the rules that fire (errors and warnings) anywhere in the app. */
export function firedRules(app: App | TerraformStack): string[] {
  const root = app instanceof TerraformStack ? app.node.root : app;
  const report = Policy.check(root);
  return [...new Set([...report.errors, ...report.warnings].map((violation) => violation.ruleId))].sort();
}

export function runFixture(fixture: PolicyFixture): string[] {
  const stack = fixtureStack(fixture.environment, fixture.backend, fixture.tier);
  fixture.build(stack);
  return firedRules(stack);
}

/** One test per fixture, named after its rule, verdict and environment. */
export function testFixtures(fixtures: readonly PolicyFixture[]): void {
  test.each(fixtures.map((fixture) => [`${fixture.rule} ${fixture.verdict} (${fixture.environment}): ${fixture.name}`, fixture] as const))(
    "%s",
    (_name, fixture) => {
      expect(runFixture(fixture)).toEqual([...fixture.fires].sort());
    },
  );
}
