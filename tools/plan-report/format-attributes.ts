import { AttributeChange, AttributeValue } from "./attribute-diff";
import { lineDiff } from "./line-diff";
import { code, fencedBlock } from "./markdown";
import { AttributePath } from "./plan-json";

/** Longer values are cut: the comment is for review, the full plan is in the artifact. */
export const MAX_VALUE_CHARS = 120;
/** Attributes listed per address; a bigger change is summarized by its count. */
export const MAX_ATTRIBUTES_PER_ADDRESS = 30;
/** Lines of a multi-line value's diff (Helm values) shown per attribute. */
export const MAX_DIFF_LINES = 24;
/** Shorter marked values (`true`, `1`, `80`) would mask half the plan if searched for. */
const MIN_SECRET_LENGTH = 4;

export const SENSITIVE_TEXT = "_(sensitive value)_";
export const UNKNOWN_TEXT = "_(known after apply)_";
const ABSENT_TEXT = "_(not set)_";

/** `set[0].value`, `metadata.labels["platform/pool"]`; the empty path is the whole object. */
export function formatPath(path: AttributePath): string {
  if (path.length === 0) return "(whole object)";
  return path
    .map((step, index) => {
      if (typeof step === "number") return `[${step}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) return index === 0 ? step : `.${step}`;
      return `[${JSON.stringify(step)}]`;
    })
    .join("");
}

/**
 * Markdown list lines (indented under an address) naming each changed
 * attribute with its values, never a sensitive one: marked values come in
 * masked, and any value that contains a marked value elsewhere in the plans is
 * masked too (Terraform does not carry marks into every derived attribute).
 */
export function attributeLines(attributes: readonly AttributeChange[], secrets: ReadonlySet<string>, indent = "  "): string[] {
  const isSecret = secretMatcher(secrets);
  const lines = attributes.slice(0, MAX_ATTRIBUTES_PER_ADDRESS).flatMap((attribute) => attributeLine(attribute, isSecret, indent));
  const hidden = attributes.length - MAX_ATTRIBUTES_PER_ADDRESS;
  if (hidden > 0) lines.push(`${indent}- … and ${hidden} more attribute${hidden === 1 ? "" : "s"} (see the full plan)`);
  return lines;
}

function attributeLine(attribute: AttributeChange, isSecret: (text: string) => boolean, indent: string): string[] {
  const name = code(formatPath(attribute.path));
  const forces = attribute.forcesReplacement ? " — **forces replacement**" : "";
  const before = reveal(attribute.before, isSecret);
  const after = reveal(attribute.after, isSecret);
  if ((isMultiline(before) || isMultiline(after)) && isText(before) && isText(after)) {
    const diff = lineDiff(asText(before), asText(after));
    const shown = diff.slice(0, MAX_DIFF_LINES).map((line) => `${line.op} ${line.text}`);
    if (diff.length > MAX_DIFF_LINES) shown.push(`  … ${diff.length - MAX_DIFF_LINES} more lines`);
    const changed = diff.filter((line) => line.op !== " ").length;
    return [
      `${indent}- ${name}: ${changed} line${changed === 1 ? "" : "s"} changed${forces}`,
      "",
      ...fencedBlock("diff", shown).map((line) => `${indent}  ${line}`),
      "",
    ];
  }
  const text = attribute.before.kind === "absent" ? formatValue(after) : `${formatValue(before)} → ${formatValue(after)}`;
  return [`${indent}- ${name}: ${text}${forces}`];
}

/** The value with secrets found by content turned into `sensitive`. */
function reveal(value: AttributeValue, isSecret: (text: string) => boolean): AttributeValue {
  if (value.kind !== "value") return value;
  return isSecret(JSON.stringify(value.value)) || (typeof value.value === "string" && isSecret(value.value))
    ? { kind: "sensitive" }
    : value;
}

export function formatValue(value: AttributeValue): string {
  switch (value.kind) {
    case "absent":
      return ABSENT_TEXT;
    case "sensitive":
      return SENSITIVE_TEXT;
    case "unknown":
      return UNKNOWN_TEXT;
    case "value":
      return code(truncate(JSON.stringify(value.value)));
  }
}

function truncate(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

function isMultiline(value: AttributeValue): boolean {
  return value.kind === "value" && typeof value.value === "string" && value.value.includes("\n");
}

/** A string, or nothing: what a line diff can compare. */
function isText(value: AttributeValue): boolean {
  return value.kind === "absent" || (value.kind === "value" && typeof value.value === "string");
}

function asText(value: AttributeValue): string | undefined {
  return value.kind === "value" && typeof value.value === "string" ? value.value : undefined;
}

function secretMatcher(secrets: ReadonlySet<string>): (text: string) => boolean {
  const candidates = [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  return (text) => candidates.some((secret) => text.includes(secret));
}
