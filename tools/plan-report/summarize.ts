import { ActionKind, classify, ClassifiedChange, isChange } from "./actions";
import { AttributeChange, diffAttributes } from "./attribute-diff";
import { LoadedPlan } from "./load-plan";
import { markedLeaves } from "./marks";
import { ResourceChange } from "./plan-json";
import { statefulRule, StatefulRule } from "./stateful";

/** One address with something to review. */
export interface AddressChange {
  readonly resource: ResourceChange;
  readonly classified: ClassifiedChange;
  /** Set when a delete or replace of this resource loses data. */
  readonly stateful?: StatefulRule;
  readonly attributes: readonly AttributeChange[];
}

export type CountKey = ActionKind | "import" | "move";

export interface StackSummary {
  readonly stack: string;
  readonly file: string;
  readonly counts: Readonly<Record<CountKey, number>>;
  /** Replacements by order, for the counts line. */
  readonly replaceOrders: Readonly<Record<string, number>>;
  /** Every address that is not a plain no-op, in plan order. */
  readonly changes: readonly AddressChange[];
  /** Deletes and replacements, stateful ones first. */
  readonly destructive: readonly AddressChange[];
  /** Changes made outside Terraform since the last apply. */
  readonly drift: readonly AddressChange[];
  readonly errored: boolean;
  /** There is no plan at all: its plan job failed. */
  readonly missing: boolean;
}

export interface ReportSummary {
  readonly stacks: readonly StackSummary[];
  /** Every string or number marked sensitive anywhere in any plan, to mask where Terraform forgot the mark. */
  readonly secrets: ReadonlySet<string>;
}

const ZERO_COUNTS: Record<CountKey, number> = {
  create: 0,
  update: 0,
  delete: 0,
  replace: 0,
  "no-op": 0,
  read: 0,
  forget: 0,
  unrecognized: 0,
  import: 0,
  move: 0,
};

export function summarize(plans: readonly LoadedPlan[]): ReportSummary {
  const secrets = new Set<string>();
  const stacks = plans.map(({ stack, file, plan, missing }) => {
    const counts = { ...ZERO_COUNTS };
    const replaceOrders: Record<string, number> = {};
    const changes: AddressChange[] = [];
    for (const resource of plan.resource_changes ?? []) {
      collectSecrets(resource, secrets);
      const classified = classify(resource);
      counts[classified.kind] += 1;
      if (classified.importing) counts.import += 1;
      if (classified.moved) counts.move += 1;
      if (classified.replaceOrder) {
        replaceOrders[classified.replaceOrder] = (replaceOrders[classified.replaceOrder] ?? 0) + 1;
      }
      if (isChange(classified)) changes.push(describe(resource, classified));
    }
    const drift = (plan.resource_drift ?? []).flatMap((resource) => {
      collectSecrets(resource, secrets);
      const classified = classify(resource);
      return classified.kind === "no-op" ? [] : [describe(resource, classified)];
    });
    const destructive = changes.filter((change) => change.classified.destructive);
    destructive.sort((a, b) => Number(b.stateful !== undefined) - Number(a.stateful !== undefined));
    return {
      stack,
      file,
      counts,
      replaceOrders,
      changes,
      destructive,
      drift,
      errored: plan.errored === true,
      missing: missing === true,
    };
  });
  return { stacks, secrets };
}

function describe(resource: ResourceChange, classified: ClassifiedChange): AddressChange {
  // A delete, forget or read changes no attribute worth listing: the whole object goes, stays or is read.
  const listAttributes = ["create", "update", "replace", "unrecognized"].includes(classified.kind);
  return {
    resource,
    classified,
    stateful: statefulRule(resource),
    attributes: listAttributes ? diffAttributes(resource.change) : [],
  };
}

function collectSecrets(resource: ResourceChange, into: Set<string>): void {
  markedLeaves(resource.change.before, resource.change.before_sensitive, into);
  markedLeaves(resource.change.after, resource.change.after_sensitive, into);
}

export function hasDestructiveChanges(summary: ReportSummary): boolean {
  return summary.stacks.some((stack) => stack.destructive.length > 0);
}

/** Reality differs from the code: changes made outside Terraform, or changes not yet applied. */
export function hasDrift(summary: ReportSummary): boolean {
  // A data source read during apply is not a difference between code and reality.
  const pending = (stack: StackSummary) => stack.changes.some((change) => change.classified.kind !== "read");
  return summary.stacks.some((stack) => stack.drift.length > 0 || pending(stack));
}

/** Stacks without a plan (their plan job failed): the report is incomplete. */
export function missingStacks(summary: ReportSummary): string[] {
  return summary.stacks.filter((stack) => stack.missing).map((stack) => stack.stack);
}
