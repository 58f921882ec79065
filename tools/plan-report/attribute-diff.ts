import { anyMarked, childMarks, isObjectValue, markedKeys } from "./marks";
import { AttributePath, Change, JsonValue, ValueMarks } from "./plan-json";

/** One side of an attribute change, before it is turned into text. */
export type AttributeValue =
  | { readonly kind: "absent" }
  | { readonly kind: "sensitive" }
  | { readonly kind: "unknown" }
  | { readonly kind: "value"; readonly value: JsonValue };

export interface AttributeChange {
  readonly path: AttributePath;
  readonly before: AttributeValue;
  readonly after: AttributeValue;
  /** Listed in the change's `replace_paths`: this attribute cannot change in place. */
  readonly forcesReplacement: boolean;
}

interface Side {
  readonly value: JsonValue | undefined;
  readonly sensitive: ValueMarks | undefined;
}

const ABSENT: AttributeValue = { kind: "absent" };

/**
 * The leaf attributes whose value differs between `before` and `after`.
 * Sensitivity is decided on the marks of both sides, so a value that was or
 * becomes sensitive is never returned as a value; unknown parts of `after`
 * come back as `unknown`.
 */
export function diffAttributes(change: Change): AttributeChange[] {
  const out: AttributeChange[] = [];
  const replacePaths = change.replace_paths ?? [];
  walk(
    [],
    { value: change.before, sensitive: change.before_sensitive },
    { value: change.after, sensitive: change.after_sensitive },
    change.after_unknown,
    (path, before, after) => {
      const forcesReplacement = replacePaths.some((replacePath) => startsWith(path, replacePath));
      out.push({ path, before, after, forcesReplacement });
    },
  );
  return out;
}

function startsWith(path: AttributePath, prefix: AttributePath): boolean {
  return prefix.length <= path.length && prefix.every((step, index) => path[index] === step);
}

type Emit = (path: AttributePath, before: AttributeValue, after: AttributeValue) => void;

function walk(path: AttributePath, before: Side, after: Side, unknown: ValueMarks | undefined, emit: Emit): void {
  const sensitive = before.sensitive === true || after.sensitive === true;
  if (unknown === true) {
    emit(path, sensitive ? maskedOrAbsent(before) : shown(before), { kind: "unknown" });
    return;
  }
  const containers = isContainer(before.value) || isContainer(after.value) || anyMarked(unknown);
  if (!sensitive && containers && compatible(before.value, after.value)) {
    for (const key of childKeys(before.value, after.value, unknown)) {
      walk(
        [...path, key],
        { value: child(before.value, key), sensitive: childMarks(before.sensitive, key) },
        { value: child(after.value, key), sensitive: childMarks(after.sensitive, key) },
        childMarks(unknown, key),
        emit,
      );
    }
    return;
  }
  if (sameValue(before.value, after.value)) return;
  // A whole value shown at once (a type change, a sensitive subtree) is masked if any part of it is sensitive.
  const masked = sensitive || anyMarked(before.sensitive) || anyMarked(after.sensitive);
  emit(path, masked ? maskedOrAbsent(before) : shown(before), masked ? maskedOrAbsent(after) : shown(after));
}

function shown(side: Side): AttributeValue {
  return side.value === undefined || side.value === null ? ABSENT : { kind: "value", value: side.value };
}

function maskedOrAbsent(side: Side): AttributeValue {
  return side.value === undefined || side.value === null ? ABSENT : { kind: "sensitive" };
}

function isContainer(value: JsonValue | undefined): boolean {
  return typeof value === "object" && value !== null;
}

/** Both sides are objects, both arrays, or one side is empty: walk into them key by key. */
function compatible(before: JsonValue | undefined, after: JsonValue | undefined): boolean {
  if (before === undefined || before === null || after === undefined || after === null) return true;
  return Array.isArray(before) === Array.isArray(after) && isContainer(before) && isContainer(after);
}

function childKeys(before: JsonValue | undefined, after: JsonValue | undefined, unknown: ValueMarks | undefined): (string | number)[] {
  if (Array.isArray(before) || Array.isArray(after) || Array.isArray(unknown)) {
    const length = Math.max(arrayLength(before), arrayLength(after), Array.isArray(unknown) ? unknown.length : 0);
    return Array.from({ length }, (_, index) => index);
  }
  const keys = new Set<string>();
  for (const side of [before, after]) if (isObjectValue(side)) Object.keys(side).forEach((key) => keys.add(key));
  markedKeys(unknown).forEach((key) => keys.add(key));
  return [...keys];
}

function arrayLength(value: JsonValue | undefined): number {
  return Array.isArray(value) ? value.length : 0;
}

function child(value: JsonValue | undefined, key: string | number): JsonValue | undefined {
  if (Array.isArray(value)) return typeof key === "number" ? (value as readonly JsonValue[])[key] : undefined;
  return isObjectValue(value) && typeof key === "string" ? value[key] : undefined;
}

/** null and a missing key mean the same: the attribute is not set. */
function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
