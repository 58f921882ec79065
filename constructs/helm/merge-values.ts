/** Chart values: a YAML mapping. */
export type HelmValues = { readonly [key: string]: unknown };

function isMapping(value: unknown): value is HelmValues {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `override` merged over `base` the way Helm merges a user's values over a
 * chart's: mappings merge key by key, anything else (lists included)
 * replaces. A `null` is kept, so that Helm removes the chart's default too.
 * Neither input is changed.
 */
export function mergeValues(base: HelmValues, override: HelmValues): HelmValues {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isMapping(current) && isMapping(value) ? mergeValues(current, value) : value;
  }
  return merged;
}
