/**
 * Narrowing helpers for synthesized Terraform JSON and parsed chart values,
 * which arrive as `unknown`: the policies read them without casts.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one: absent and malformed read the same. */
export function objectAt(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** A list, or a single block given where a list is allowed (Terraform JSON accepts both). */
export function listAt(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

export function objectsAt(value: unknown): readonly JsonObject[] {
  return listAt(value).filter(isObject);
}

/** Terraform JSON renders a single nested block as an object or a one-element list. */
export function blockAt(value: unknown): JsonObject {
  return Array.isArray(value) ? objectAt(value[0]) : objectAt(value);
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Numbers, and whole numbers written as strings (the kubernetes provider types `replicas` as a string). */
export function numberAt(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Booleans, and `"true"`/`"false"` as Helm `--set` and Terraform variables write them. */
export function booleanAt(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** The value at a dotted path (`server.ha.replicas`); keys may contain no dots. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split(".")) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A string-to-string map such as labels; other entries are dropped. */
export function stringMapAt(value: unknown): Readonly<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(objectAt(value))) {
    if (typeof entry === "string") result[key] = entry;
  }
  return result;
}

/** Renders a value for a message: strings quoted, absent as "nothing". */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}
