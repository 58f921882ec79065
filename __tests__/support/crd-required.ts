import { CRD_REQUIRED_FIELDS } from "../fixtures/crd-required-fields";

/** Paths of `required` that `manifest` lacks; throws for a kind with no recorded CRD facts. */
export function missingRequiredFields(manifest: Record<string, any>): string[] {
  const type = `${manifest.apiVersion}/${manifest.kind}`;
  const required = CRD_REQUIRED_FIELDS[type];
  if (required === undefined) throw new Error(`no CRD facts recorded for ${type}: add its required fields to __tests__/fixtures/crd-required-fields.ts`);
  return required.filter((path) => !present(manifest, path.split(".")));
}

/** True when the path exists, or when an optional parent on the way is absent. */
function present(value: any, segments: string[]): boolean {
  if (segments.length === 0) return value !== undefined && value !== null;
  const [head, ...rest] = segments;
  const isArray = head.endsWith("[]");
  const key = isArray ? head.slice(0, -2) : head;
  const child = value?.[key];
  if (child === undefined) return rest.length > 0 ? true : false;
  if (isArray) return Array.isArray(child) && child.every((item) => present(item, rest));
  return present(child, rest);
}
