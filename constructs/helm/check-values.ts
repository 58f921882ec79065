import { ProblemCollector } from "../../core/problems";
import { HelmValues } from "./merge-values";

/** Deep enough for any chart's values; deeper is a cycle or a mistake. */
const MAX_DEPTH = 32;

/**
 * A `values` override: a mapping of JSON values that YAML can carry to Helm.
 * Reports the first path that is not (a function, `undefined`, a class
 * instance, NaN or Infinity), which would otherwise reach Helm as nothing or
 * as a string.
 */
export function checkHelmValues(problems: ProblemCollector, field: string, values: unknown): values is HelmValues {
  const mapping = typeof values === "object" && values !== null && !Array.isArray(values);
  if (
    !problems.check(
      mapping,
      field,
      "values must be a mapping of chart values",
      values,
      "write the keys of the chart's values.yaml, e.g. { server: { replicas: 2 } }",
    )
  ) {
    return false;
  }
  const bad = firstNonJson(values, "", 0);
  if (bad === undefined) return true;
  problems.add(
    `${field}${bad.path}`,
    `chart values hold ${bad.what}, which YAML cannot carry to Helm`,
    bad.value,
    "use strings, numbers, booleans, null, lists and mappings only",
  );
  return false;
}

function firstNonJson(value: unknown, path: string, depth: number): { path: string; what: string; value: unknown } | undefined {
  if (depth > MAX_DEPTH) return { path, what: `more than ${MAX_DEPTH} levels`, value: "…" };
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number")
    return Number.isFinite(value) ? undefined : { path, what: "a number that is not finite", value: String(value) };
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const bad = firstNonJson(item, `${path}[${index}]`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === "object") {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      return { path, what: `an object of class ${value.constructor?.name ?? "unknown"}`, value: String(value) };
    for (const [key, item] of Object.entries(value)) {
      const bad = firstNonJson(item, /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === "function") return { path, what: "a function", value: `function ${value.name || "(anonymous)"}` };
  return { path, what: typeof value === "undefined" ? "undefined" : `a ${typeof value}`, value: String(value) };
}

/**
 * `values` of a service with several releases: a mapping from chart name to
 * that release's values. A key that names no release would be ignored.
 */
export function checkValuesByChart(problems: ProblemCollector, values: unknown, charts: readonly string[], field = "values"): void {
  if (values === undefined) return;
  const mapping = typeof values === "object" && values !== null && !Array.isArray(values);
  if (
    !problems.check(
      mapping,
      field,
      "values must be a mapping from chart name to chart values",
      values,
      `use keys among ${charts.join(", ")}`,
    )
  )
    return;
  for (const [chart, chartValues] of Object.entries(values as object)) {
    const at = /^[A-Za-z_][A-Za-z0-9_]*$/.test(chart) ? `${field}.${chart}` : `${field}["${chart}"]`;
    if (!problems.check(charts.includes(chart), at, "no release of this service uses that chart", chart, `use one of ${charts.join(", ")}`))
      continue;
    checkHelmValues(problems, at, chartValues);
  }
}
