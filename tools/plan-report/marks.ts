import { JsonValue, ValueMarks } from "./plan-json";

/** The marks of a child (object key or array index); `true` applies to everything below it. */
export function childMarks(marks: ValueMarks | undefined, key: string | number): ValueMarks | undefined {
  if (marks === undefined || typeof marks === "boolean") return marks === true ? true : undefined;
  if (Array.isArray(marks)) return typeof key === "number" ? marks[key] : undefined;
  return typeof key === "string" ? (marks as { readonly [key: string]: ValueMarks })[key] : undefined;
}

/** Whether anything at or below this node is marked. */
export function anyMarked(marks: ValueMarks | undefined): boolean {
  if (marks === undefined || marks === false) return false;
  if (marks === true) return true;
  return Object.values(marks).some((child: ValueMarks) => anyMarked(child));
}

/** Keys of an object-shaped marks node (unknown attributes are absent from `after` but named here). */
export function markedKeys(marks: ValueMarks | undefined): string[] {
  return isObjectMarks(marks) ? Object.keys(marks) : [];
}

/** Every string and number under the marked parts of `value`: the secrets of a plan. */
export function markedLeaves(value: JsonValue | undefined, marks: ValueMarks | undefined, into: Set<string>): void {
  if (marks === undefined || marks === false || value === undefined || value === null) return;
  if (marks === true) return collectLeaves(value, into);
  if (Array.isArray(value)) {
    value.forEach((item: JsonValue, index) => markedLeaves(item, childMarks(marks, index), into));
    return;
  }
  if (isObjectValue(value)) {
    for (const [key, item] of Object.entries(value)) markedLeaves(item, childMarks(marks, key), into);
  }
}

function collectLeaves(value: JsonValue, into: Set<string>): void {
  if (typeof value === "string" || typeof value === "number") into.add(String(value));
  else if (Array.isArray(value)) value.forEach((item: JsonValue) => collectLeaves(item, into));
  else if (isObjectValue(value)) Object.values(value).forEach((item) => collectLeaves(item, into));
}

export function isObjectValue(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isObjectMarks(marks: ValueMarks | undefined): marks is { readonly [key: string]: ValueMarks } {
  return typeof marks === "object" && !Array.isArray(marks);
}
