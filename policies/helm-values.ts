import { parseAllDocuments } from "yaml";
import { mergeValues } from "../constructs/helm/merge-values";
import { isObject, JsonObject, listAt, objectsAt, stringAt } from "./json";

/** Chart values as Helm computes them from a `helm_release`'s `values`, `set` and `set_list`. */
export interface ChartValues {
  readonly values: JsonObject;
  /** Why a `values` entry could not be read; the checks then see only what could. */
  readonly problems: readonly string[];
}

/**
 * Merges the release's values documents in order, then applies `set` and
 * `set_list` on top, as Helm does. Values set outside the typed props
 * (overrides, `--set` style entries) are seen here too. `given` is the
 * values object the documents were rendered from, when it is known: it
 * spares parsing them.
 */
export function chartValues(attributes: JsonObject, given?: JsonObject): ChartValues {
  const problems: string[] = [];
  let values = given ?? mergeDocuments(attributes.values, problems);
  // `set_sensitive` and `set_wo` carry secrets, not sizing: the secret scan reads them where they are.
  for (const entry of objectsAt(attributes.set)) {
    const name = stringAt(entry.name);
    if (name !== undefined) values = setPath(values, parseSetPath(name), setValue(entry.value, stringAt(entry.type)));
  }
  for (const entry of objectsAt(attributes.set_list)) {
    const name = stringAt(entry.name);
    if (name !== undefined)
      values = setPath(
        values,
        parseSetPath(name),
        listAt(entry.value).map((item) => setValue(item, "auto")),
      );
  }
  return { values, problems };
}

/** Parses and merges the `values` documents in order; YAML parsing is the costly part of a policy check. */
function mergeDocuments(documents: unknown, problems: string[]): JsonObject {
  let values: JsonObject = {};
  listAt(documents).forEach((entry, index) => {
    const text = stringAt(entry);
    if (text === undefined) {
      problems.push(`values[${index}] is not a string of YAML`);
      return;
    }
    const documents = parseAllDocuments(text);
    if (documents.length > 1) problems.push(`values[${index}] holds ${documents.length} YAML documents; Helm reads only the first`);
    const document = documents[0];
    if (document === undefined) return;
    if (document.errors.length > 0) {
      problems.push(`values[${index}] is not valid YAML: ${document.errors[0].message.split("\n")[0]}`);
      return;
    }
    const parsed: unknown = document.toJS();
    if (parsed === null || parsed === undefined) return;
    if (!isObject(parsed)) {
      problems.push(`values[${index}] is not a YAML mapping`);
      return;
    }
    values = mergeValues(values, parsed);
  });
  return values;
}

/** `a.b\.c[1]` → `["a", "b.c", 1]`, Helm's `--set` key syntax. */
export function parseSetPath(name: string): (string | number)[] {
  const path: (string | number)[] = [];
  let current = "";
  for (let i = 0; i < name.length; i++) {
    const char = name[i];
    if (char === "\\" && i + 1 < name.length) {
      current += name[++i];
    } else if (char === ".") {
      path.push(current);
      current = "";
    } else if (char === "[") {
      const end = name.indexOf("]", i);
      if (current !== "") path.push(current);
      path.push(Number(name.slice(i + 1, end)));
      current = "";
      i = end;
      if (name[i + 1] === ".") i++;
    } else {
      current += char;
    }
  }
  if (current !== "") path.push(current);
  return path;
}

/** Helm's `--set` typing: `type = "string"` keeps text, `auto` reads booleans, integers and null. */
function setValue(value: unknown, type: string | undefined): unknown {
  if (typeof value !== "string" || type === "string") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (/^-?\d+$/.test(value)) return Number(value);
  return value;
}

function setPath(root: unknown, path: readonly (string | number)[], value: unknown): JsonObject {
  const result = setIn(root, path, value);
  return isObject(result) ? result : {};
}

function setIn(node: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const list = Array.isArray(node) ? [...node] : [];
    list[head] = setIn(list[head], rest, value);
    return list;
  }
  const object: Record<string, unknown> = isObject(node) ? { ...node } : {};
  object[head] = setIn(object[head], rest, value);
  return object;
}
