/** A JSON object (not an array, not null): the first check on anything parsed or received. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
