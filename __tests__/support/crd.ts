import facts from "../fixtures/crd-facts.json";
import { CRD_REQUIRED_FIELDS } from "../fixtures/crd-required-fields";
import { ANY_FIELD, OPAQUE_FIELDS } from "../../tools/crd-facts";

interface KindFacts {
  readonly enums: Readonly<Record<string, readonly unknown[]>>;
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

const KINDS: Readonly<Record<string, KindFacts>> = facts;

/** Custom resource kinds the fixture knows, as `<apiVersion>/<kind>`. */
export function knownKinds(): string[] {
  return Object.keys(KINDS);
}

/** Every value at a dotted path (`[]` expands arrays), with the concrete path it was found at. */
function valuesAt(root: unknown, path: string): Array<[string, unknown]> {
  let found: Array<[string, unknown]> = [["", root]];
  for (const part of path === "" ? [] : path.split(".")) {
    const name = part.replace(/\[\]/g, "");
    const arrays = (part.match(/\[\]/g) ?? []).length;
    found = found.flatMap(([at, value]) => {
      if (!isObject(value) || !(name in value)) return [];
      let items: Array<[string, unknown]> = [[at === "" ? name : `${at}.${name}`, value[name]]];
      for (let depth = 0; depth < arrays; depth++) {
        items = items.flatMap(([itemAt, list]) =>
          Array.isArray(list) ? list.map((item, i): [string, unknown] => [`${itemAt}[${i}]`, item]) : [],
        );
      }
      return items;
    });
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Required fields (CRD_REQUIRED_FIELDS) that `manifest` lacks. A path below an
 * optional object applies only where that object is present; throws for a
 * kind with no recorded facts.
 */
export function missingRequiredFields(manifest: Record<string, unknown>): string[] {
  const type = `${manifest.apiVersion}/${manifest.kind}`;
  const required = CRD_REQUIRED_FIELDS[type];
  if (required === undefined)
    throw new Error(`no CRD facts recorded for ${type}: add its required fields to __tests__/fixtures/crd-required-fields.ts`);
  return required.filter((path) => {
    const cut = path.lastIndexOf(".");
    const field = path.slice(cut + 1);
    const parents = valuesAt(manifest, cut < 0 ? "" : path.slice(0, cut));
    return parents.some(([, parent]) => !isObject(parent) || parent[field] === undefined || parent[field] === null);
  });
}

/**
 * What the pinned CRD would reject or silently prune in a rendered custom
 * resource, beyond missing required fields (`missingRequiredFields`): values
 * outside an enum, and fields the CRD does not define on the objects the
 * platform writes to. Empty when valid.
 */
export function crdViolations(manifest: { readonly apiVersion: string; readonly kind: string }): string[] {
  const kind = `${manifest.apiVersion}/${manifest.kind}`;
  const facts = KINDS[kind];
  if (facts === undefined) return [`no CRD facts for ${kind}: add its CRD to tools/crd-facts.ts' input`];
  const problems: string[] = [];
  for (const [path, allowed] of Object.entries(facts.enums)) {
    for (const [at, value] of valuesAt(manifest, path)) {
      if (!allowed.includes(value)) problems.push(`${kind}: ${at} is ${JSON.stringify(value)}, not one of ${allowed.join(", ")}`);
    }
  }
  for (const [path, fields] of Object.entries(facts.fields)) {
    if (fields.includes(ANY_FIELD)) continue;
    for (const [at, value] of valuesAt(manifest, path)) {
      if (!isObject(value)) continue;
      for (const key of Object.keys(value)) {
        if (!fields.includes(key)) problems.push(`${kind}: ${at}.${key} is not a field of the CRD`);
      }
    }
  }
  problems.push(...unknownObjectPaths(kind, facts, manifest));
  return problems;
}

/** Objects the renderer writes to that the fixture has no field list for: regenerate it. */
function unknownObjectPaths(kind: string, facts: KindFacts, manifest: object): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, `${path}[]`));
    if (value === null || typeof value !== "object") return;
    if (!(path in facts.fields)) problems.push(`${kind}: no CRD field list for ${path}; regenerate __tests__/fixtures/crd-facts.json`);
    else if (facts.fields[path].includes(ANY_FIELD)) return;
    for (const [key, child] of Object.entries(value)) if (!OPAQUE_FIELDS.includes(key)) visit(child, `${path}.${key}`);
  };
  const spec = (manifest as { spec?: unknown }).spec;
  if (spec !== undefined) visit(spec, "spec");
  return problems;
}
