import { ReplaceOrder } from "./actions";
import { attributeLines } from "./format-attributes";
import { Block, Fitted, fitDocument, ItemList, NOTE_SLOT, smallestLimit } from "./fit";
import { actionLabel, addressLabel, reasonLabel, statefulLabel } from "./labels";
import { code, escapeHtml, listInline, plural } from "./markdown";
import { AddressChange, ReportSummary, StackSummary } from "./summarize";

/** GitHub rejects a comment or issue body above this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the report may use, in UTF-8 bytes: below the limit however GitHub counts characters. */
export const DEFAULT_MAX_BYTES = 64_000;

export interface RenderOptions {
  /** Name in the hidden HTML comment that identifies the comment to update in place. */
  readonly marker: string;
  /** @default "Terraform plan" */
  readonly title?: string;
  /** Where the full plans are (the workflow run with the plan artifacts). @default - no link */
  readonly detailsUrl?: string;
  /** @default DEFAULT_MAX_BYTES */
  readonly maxBytes?: number;
}

/** The first line of every report: found by `--post` to update the comment instead of adding one. */
export function markerLine(marker: string): string {
  return `<!-- ${marker} -->`;
}

/** Shortened lists keep the warnings longest, then drift, then the per-address details. */
const PRIORITY = { destructive: 0, drift: 1, details: 2 } as const;

export function renderReport(summary: ReportSummary, options: RenderOptions): Fitted {
  const note = (hidden: number) => truncationNote(hidden, options);
  return fitDocument(reportBlocks(summary, options), options.maxBytes ?? DEFAULT_MAX_BYTES, note);
}

/**
 * The smallest `maxBytes` this report can be fitted into: every report keeps
 * its marker, its heading with the verdict and the note about what was left
 * out (see fit.ts). It depends on the plans (the verdict names stacks).
 */
export function smallestMaxBytes(summary: ReportSummary, options: RenderOptions): number {
  return smallestLimit(reportBlocks(summary, options), (hidden) => truncationNote(hidden, options));
}

function reportBlocks(summary: ReportSummary, options: RenderOptions): Block[] {
  const blocks: Block[] = [markerLine(options.marker), `## ${options.title ?? "Terraform plan"}: ${verdict(summary)}`, ""];
  blocks.push(...warnings(summary), NOTE_SLOT);
  // Every group of blocks below ends with an empty line, so Markdown sees each one start afresh.

  const changed = summary.stacks.filter((stack) => stack.changes.length > 0 || stack.errored);
  const missing = summary.stacks.filter((stack) => stack.missing);
  for (const stack of changed) blocks.push(...stackSection(stack, summary.secrets));
  const unchanged = summary.stacks.filter((stack) => !changed.includes(stack) && !missing.includes(stack));
  if (unchanged.length > 0) {
    const names = unchanged.map((stack) => `${code(stack.stack)} (${plural(stack.counts["no-op"], "resource")} unchanged)`);
    blocks.push(`**No changes:** ${names.join(", ")}.`, "");
  }
  blocks.push(...driftSection(summary), footer(summary, options));
  return blocks;
}

function verdict(summary: ReportSummary): string {
  const missing = summary.stacks.filter((stack) => stack.missing).map((stack) => code(stack.stack));
  const changes = changesVerdict(summary);
  return missing.length > 0 ? `❌ no plan for ${listInline(missing)}; ${changes}` : changes;
}

function changesVerdict(summary: ReportSummary): string {
  const destructive = summary.stacks.flatMap((stack) => stack.destructive);
  const stacksWith = (pick: (stack: StackSummary) => boolean) => listInline(summary.stacks.filter(pick).map((stack) => code(stack.stack)));
  if (destructive.length > 0) {
    const stateful = destructive.filter((change) => change.stateful).length;
    const count = plural(destructive.length, "deletion or replacement", "deletions or replacements");
    const ofThem = stateful === 0 ? "" : stateful === destructive.length ? ", all stateful," : `, ${stateful} of them stateful,`;
    return `🛑 ${count}${ofThem} in ${stacksWith((stack) => stack.destructive.length > 0)}`;
  }
  if (summary.stacks.some((stack) => stack.changes.length > 0)) {
    return `✏️ changes in ${stacksWith((stack) => stack.changes.length > 0)}, nothing deleted`;
  }
  return "✅ no changes";
}

function warnings(summary: ReportSummary): Block[] {
  const blocks: Block[] = [];
  for (const stack of summary.stacks.filter((candidate) => candidate.missing)) {
    blocks.push(
      `> [!WARNING]`,
      `> **No plan for ${code(stack.stack)}**: its plan job failed, so this report says nothing about it; see the workflow log.`,
      "",
    );
  }
  for (const stack of summary.stacks.filter((candidate) => candidate.errored)) {
    blocks.push(`> [!WARNING]`, `> The plan of ${code(stack.stack)} stopped on an error and is incomplete; see the workflow log.`, "");
  }
  const drifted = summary.stacks.filter((stack) => stack.drift.length > 0);
  if (drifted.length > 0) {
    const where = listInline(drifted.map((stack) => `${code(stack.stack)} (${stack.drift.length})`));
    blocks.push(
      `> [!WARNING]`,
      `> **Changed outside Terraform** in ${where}: see "Changed outside Terraform" below. ` + "Applying this plan reverts those changes.",
      "",
    );
  }
  const destructive = summary.stacks.flatMap((stack) => stack.destructive.map((change) => ({ stack, change })));
  if (destructive.length === 0) return blocks;
  // Stateful first across all stacks: they are what a reviewer must not miss.
  destructive.sort((a, b) => Number(b.change.stateful !== undefined) - Number(a.change.stateful !== undefined));
  const stateful = destructive.filter(({ change }) => change.stateful).length;
  const headline =
    `**${plural(destructive.length, "address", "addresses")} will be deleted or replaced.**` +
    (stateful > 0 ? ` ${statefulSentence(stateful, destructive.length)}` : "");
  const list: ItemList = {
    priority: PRIORITY.destructive,
    items: destructive.map(({ stack, change }) => `> - ${code(stack.stack)} ${destructiveLine(change)}`),
    more: (hidden) => `> - … and ${hidden} more; see the full plan`,
  };
  blocks.push(`> [!CAUTION]`, `> ${headline}`, ">", list, "");
  return blocks;
}

function statefulSentence(stateful: number, total: number): string {
  const which = stateful === total ? (total === 1 ? "It is" : "All of them are") : `${stateful} of them ${stateful === 1 ? "is" : "are"}`;
  return `${which} stateful: ${stateful === 1 ? "its" : "their"} data is lost unless it is backed up and restored.`;
}

function destructiveLine(change: AddressChange): string {
  return [`${addressLabel(change)}: ${actionLabel(change)}`, statefulLabel(change), reasonLabel(change)]
    .filter((part) => part !== "")
    .join(" — ");
}

function stackSection(stack: StackSummary, secrets: ReadonlySet<string>): Block[] {
  const changedCount = plural(stack.changes.length, "changed address", "changed addresses");
  const details: ItemList = {
    priority: PRIORITY.details,
    items: stack.changes.map((change) => addressItem(change, secrets)),
    more: (hidden) => `- … and ${plural(hidden, "more address", "more addresses")}; see the full plan`,
  };
  return [
    `### ${code(stack.stack)}`,
    "",
    countsLine(stack),
    "",
    `<details><summary>${changedCount} in <code>${escapeHtml(stack.stack)}</code></summary>`,
    "",
    details,
    "",
    "</details>",
    "",
  ];
}

function addressItem(change: AddressChange, secrets: ReadonlySet<string>): string {
  const extras = [
    statefulLabel(change),
    change.classified.kind === "replace" || change.classified.kind === "delete" ? reasonLabel(change) : "",
  ];
  const head = [`- ${addressLabel(change)}: ${actionLabel(change)}`, ...extras].filter((part) => part !== "").join(" — ");
  return [head, ...attributeLines(change.attributes, secrets)].join("\n");
}

const REPLACE_ORDERS: readonly ReplaceOrder[] = ["delete-then-create", "create-then-delete", "create-then-forget"];

/** The seven counts in a fixed order, so two comments compare at a glance; rarer ones only when present. */
export function countsLine(stack: StackSummary): string {
  const counts = stack.counts;
  const orders = REPLACE_ORDERS.filter((order) => stack.replaceOrders[order]).map((order) => `${stack.replaceOrders[order]} ${order}`);
  const replace = `${counts.replace} to replace${orders.length > 0 ? ` (${orders.join(", ")})` : ""}`;
  const parts = [
    `${counts.create} to create`,
    `${counts.update} to update`,
    replace,
    `${counts.delete} to delete`,
    `${counts.import} to import`,
    `${counts.move} to move`,
    `${counts["no-op"]} unchanged`,
  ];
  if (counts.forget > 0) parts.push(`${counts.forget} to forget`);
  if (counts.read > 0) parts.push(`${counts.read} to read during apply`);
  if (counts.unrecognized > 0) parts.push(`**${counts.unrecognized} with unrecognized actions**`);
  return `**Plan:** ${parts.join(" · ")}`;
}

function driftSection(summary: ReportSummary): Block[] {
  const drifted = summary.stacks.filter((stack) => stack.drift.length > 0);
  if (drifted.length === 0) return [];
  const blocks: Block[] = [
    "### Changed outside Terraform",
    "",
    "Refreshing found these objects different from the last applied state; someone or something changed them outside Terraform.",
    "",
  ];
  for (const stack of drifted) {
    const count = plural(stack.drift.length, "resource");
    blocks.push(
      `<details><summary><code>${escapeHtml(stack.stack)}</code>: ${count} changed outside Terraform</summary>`,
      "",
      {
        priority: PRIORITY.drift,
        items: stack.drift.map((change) => driftItem(change, summary.secrets)),
        more: (hidden) => `- … and ${plural(hidden, "more resource")}; see the full plan`,
      },
      "",
      "</details>",
      "",
    );
  }
  return blocks;
}

function driftItem(change: AddressChange, secrets: ReadonlySet<string>): string {
  const kind = change.classified.kind;
  const what = kind === "delete" ? "**deleted**" : kind === "update" ? "**changed**" : actionLabel(change);
  return [`- ${addressLabel(change)}: ${what}`, ...attributeLines(change.attributes, secrets)].join("\n");
}

function truncationNote(hidden: number, options: RenderOptions): string {
  const where = options.detailsUrl ? `[the full plans](${options.detailsUrl})` : "the full plans in the workflow run's artifacts";
  const limit = GITHUB_COMMENT_LIMIT.toLocaleString("en-US");
  const entries = plural(hidden, "entry", "entries");
  return [
    "> [!NOTE]",
    `> This comment is shortened to fit GitHub's ${limit}-character limit: ${entries} not shown. Read ${where}.`,
    "",
  ].join("\n");
}

function footer(summary: ReportSummary, options: RenderOptions): string {
  const stacks = summary.stacks.map((stack) => code(stack.stack)).join(", ");
  const link = options.detailsUrl ? ` · [full plans](${options.detailsUrl})` : "";
  return `<sub>Stacks: ${stacks}${link} · rendered by <code>tools/plan-report</code></sub>`;
}
