import * as v from "valibot";
import { ProblemCollector } from "./problems";
import { closest } from "./suggest";

/**
 * Structural validation: the shape of what a user wrote, checked before any
 * rule about its values runs, because `npm run synth` does not type-check and
 * a config can reach the program from plain JavaScript. A typo in a
 * discriminant, a missing field, a string where a number belongs or a
 * misspelled optional field is reported in the project's problem format
 * instead of surfacing as a TypeError, or silently as a default.
 *
 * Schemas are valibot schemas; `schemaOf<T>()` ties each one to the
 * interface it checks, so a field added to the interface and not to its
 * schema (or the reverse) fails to compile.
 */

type Keys<T> = keyof { [K in keyof T]-?: true };
type SameKeys<A, B> = [Exclude<Keys<A>, Keys<B>>, Exclude<Keys<B>, Keys<A>>] extends [never, never] ? true : false;

/** `unknown` when S describes exactly the fields of T with types T accepts; an explanation otherwise. */
type Describes<T, S extends v.GenericSchema> =
  SameKeys<T, v.InferOutput<S>> extends true
    ? [v.InferOutput<S>] extends [T]
      ? unknown
      : "the schema accepts values the interface does not"
    : {
        readonly fieldsOnlyInInterface: Exclude<Keys<T>, Keys<v.InferOutput<S>>>;
        readonly fieldsOnlyInSchema: Exclude<Keys<v.InferOutput<S>>, Keys<T>>;
      };

/** Returns the schema as it is; compiles only when it describes exactly the fields of T. */
export function schemaOf<T>(): <S extends v.GenericSchema>(schema: S & Describes<T, S>) => S {
  return (schema) => schema;
}

/**
 * A string whose allowed values the domain validation checks (with a message
 * that says what each means); structurally, any string.
 */
export function stringOf<T extends string>(): v.GenericSchema<string, T> {
  return v.pipe(
    v.string(),
    v.transform((input) => input as T),
  );
}

/** A value whose rules are checked by the domain validation, not by its shape (chart values). */
export function opaque<T>(): v.GenericSchema<T> {
  return v.custom<T>(() => true);
}

/** Records every structural issue of `input` against `schema`; returns whether there was none. */
export function checkStructure(schema: v.GenericSchema, input: unknown, problems: ProblemCollector): boolean {
  // valibot reads a list's missing keys before its type: say what it is instead.
  if (Array.isArray(input) && ["variant", "strict_object", "object", "loose_object"].includes(schema.type)) {
    problems.add("", "is not an object", input, EXAMPLES.object);
    return false;
  }
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return true;
  for (const issue of result.issues) recordIssue(issue, schema, input, problems);
  return false;
}

const NOUNS: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  object: "an object",
  strict_object: "an object",
  array: "a list",
};

const EXAMPLES: Readonly<Record<string, string>> = {
  string: 'write it in quotes, e.g. "b2-7"',
  number: "write a number without quotes, e.g. 3",
  boolean: "write true or false, without quotes",
  object: "write an object: { … }",
  strict_object: "write an object: { … }",
  array: "write a list: [ … ]",
};

function recordIssue(issue: v.BaseIssue<unknown>, schema: v.GenericSchema, root: unknown, problems: ProblemCollector): void {
  const keys = (issue.path ?? []).map((item) => item.key as string | number);
  const path = pathOf(keys);
  if (issue.type === "strict_object" && issue.expected === "never") {
    const parentKeys = keys.slice(0, -1);
    const known = Object.keys(entriesAt(schema, root, parentKeys));
    const name = String(keys[keys.length - 1]);
    // "kafak" for "kafka": two edits in five letters, so allow at least two.
    const guess = closest(name, known, Math.max(2, Math.floor(name.length / 3)));
    problems.add(
      path,
      "is not a field here",
      valueAt(root, keys),
      `remove it${guess ? `, or did you mean ${guess}?` : ""}${known.length > 0 ? ` The fields here are: ${known.join(", ")}` : ""}`,
    );
    return;
  }
  if (issue.type === "strict_object" || (issue.received === "undefined" && issue.kind === "schema")) {
    problems.add(path, "is required but missing", undefined, `set ${String(keys[keys.length - 1] ?? "it")}`);
    return;
  }
  if (issue.type === "variant" && issue.expected === "Object") {
    problems.add(path, "is not an object", valueAt(root, keys), EXAMPLES.object);
    return;
  }
  if (issue.type === "picklist" || issue.type === "literal" || issue.type === "variant" || issue.type === "union") {
    const options = issue.expected?.replace(/^\(|\)$/g, "").split(" | ") ?? [];
    problems.add(
      path,
      "is not one of the allowed values",
      valueAt(root, keys),
      `use ${options.length > 1 ? "one of " : ""}${options.join(", ")}`,
    );
    return;
  }
  const noun = NOUNS[issue.type];
  if (noun !== undefined) {
    problems.add(path, `is not ${noun}`, valueAt(root, keys), EXAMPLES[issue.type] ?? `write ${noun}`);
    return;
  }
  problems.add(path, issue.message, valueAt(root, keys), "see the field's documentation in environments/types.ts");
}

/** `services.redis.storage`, `nodePools[1].name`, `labels["platform/pool"]`. */
export function pathOf(keys: readonly (string | number)[]): string {
  return keys.reduce<string>((path, key) => {
    if (typeof key === "number") return `${path}[${key}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
    return `${path}[${JSON.stringify(key)}]`;
  }, "");
}

function valueAt(root: unknown, keys: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of keys) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

interface SchemaNode {
  readonly type?: string;
  readonly entries?: Readonly<Record<string, SchemaNode>>;
  readonly wrapped?: SchemaNode;
  readonly item?: SchemaNode;
  readonly options?: readonly SchemaNode[];
  readonly key?: string;
  readonly pipe?: readonly SchemaNode[];
}

/** The object fields a schema declares at `keys` of `root`, through optional wrappers, lists and the variant `root` is. */
function entriesAt(schema: v.GenericSchema, root: unknown, keys: readonly (string | number)[]): Readonly<Record<string, SchemaNode>> {
  let node: SchemaNode | undefined = schema as SchemaNode;
  let value = root;
  const unwrap = (candidate: SchemaNode | undefined, at: unknown): SchemaNode | undefined => {
    let current = candidate;
    for (;;) {
      if (current?.wrapped) current = current.wrapped;
      else if (current?.pipe) current = current.pipe[0];
      else if (current?.type === "variant" && current.options && current.key) {
        const discriminant = (at as Record<string, unknown> | undefined)?.[current.key];
        current = current.options.find(
          (option) => (option.entries?.[current?.key ?? ""] as { literal?: unknown } | undefined)?.literal === discriminant,
        );
      } else return current;
    }
  };
  for (const key of keys) {
    node = unwrap(node, value);
    node = typeof key === "number" ? node?.item : node?.entries?.[key];
    value = (value as Record<string | number, unknown> | undefined)?.[key];
  }
  return unwrap(node, value)?.entries ?? {};
}
