import { IConstruct } from "constructs";
import { StackInventory } from "./inventory";
import { WaiverUse } from "./waivers";

/** `error` fails synth; `warning` is annotated and listed, synth goes on. */
export type Severity = "error" | "warning";

/** One broken rule on one construct. */
export interface Finding {
  /** The construct to fix, and the one a waiver must sit on (or above). */
  readonly construct: IConstruct;
  /** What is wrong and what to change, e.g. `chart version "^1.2" is a range; pin an exact version`. */
  readonly message: string;
}

interface RuleInfo<Id extends string> {
  /** `PLAT-<AREA>-<NNN>`; never reused or renumbered (waivers and reviews refer to it). */
  readonly id: Id;
  /** One line, as in the README table. */
  readonly title: string;
  /** The rules of other tools this one mirrors (Checkov, kube-score, Polaris, kube-linter, Kubescape, PSS). */
  readonly anchors: readonly string[];
  readonly severity: Severity;
  /** Where a waiver goes, for the README. */
  readonly waiveOn: string;
  /**
   * What the rule reads in a stack, for the catalogue: a rule that reads only
   * the objects the project renders says so, and one that also reads the chart
   * values it sets names them, e.g. "containers of the objects the project
   * renders; security contexts in the chart values it sets".
   */
  readonly applies: string;
}

/** Checks what a stack synthesizes. */
export interface ResourceRule<Id extends string = string> extends RuleInfo<Id> {
  readonly checks: "resources";
  readonly check: (inventory: StackInventory) => readonly Finding[];
}

/** Checks the waivers themselves, after the resource rules have used them. Cannot be waived. */
export interface WaiverRule<Id extends string = string> extends RuleInfo<Id> {
  readonly checks: "waivers";
  readonly check: (waivers: readonly WaiverUse[]) => readonly Finding[];
}

export type PolicyRule<Id extends string = string> = ResourceRule<Id> | WaiverRule<Id>;

/** Keeps the literal id type, so waivers can only name rules that exist. */
export function defineRule<Id extends `PLAT-${string}`>(rule: PolicyRule<Id>): PolicyRule<Id> {
  return rule;
}

/**
 * One finding per item with a problem: `problem` says what is wrong and how
 * to fix it, or returns undefined when the item passes.
 */
export function findingsFor<T>(
  items: Iterable<T>,
  construct: (item: T) => IConstruct,
  problem: (item: T) => string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    const message = problem(item);
    if (message !== undefined) findings.push({ construct: construct(item), message });
  }
  return findings;
}
