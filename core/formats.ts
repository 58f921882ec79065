/** Name and value rules shared by environment and service validation. */

/** DNS-1123 label, the Kubernetes rule for names such as namespaces. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * OVHcloud's node pool rule, also used for environment names: a DNS-1123 label
 * (lowercase, no `_` or `.`) that does not start with a digit.
 */
export const OVH_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes label value: empty or up to 63 alphanumerics with `-_.` inside. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** A DNS-1123 subdomain, the Kubernetes rule for most object names (Secrets, ConfigMaps). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

export function isOvhName(value: string): boolean {
  return value.length <= 63 && OVH_NAME.test(value);
}

/** A label or taint key: `[prefix/]name`, prefix a DNS subdomain. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export function isWholeNumber(value: number, min = 0): boolean {
  return Number.isInteger(value) && value >= min;
}

const ISO_8601_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 instant written with seconds
 * and a time zone (`2026-08-01T06:00:00Z`, `2026-08-01T08:00:00.5+02:00`),
 * the form PostgreSQL and CloudNativePG read without guessing a zone;
 * undefined for anything else, a date that does not exist included.
 */
export function iso8601InstantMillis(value: string): number | undefined {
  const match = ISO_8601_INSTANT.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, , zone, zoneHours, zoneMinutes] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  const exists =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute) &&
    date.getUTCSeconds() === Number(second);
  if (!exists || (zone !== "Z" && (Number(zoneHours) > 23 || Number(zoneMinutes) > 59))) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * A URL that names a server and nothing else: one of `schemes`, a host, an
 * optional port, no credentials, path, query or fragment
 * (`https://127.0.0.1:8200`, `https://s3.gra.io.cloud.ovh.net`).
 */
export function isServerUrl(value: string, schemes: readonly string[] = ["https:"]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    schemes.includes(url.protocol) &&
    url.hostname !== "" &&
    url.username === "" &&
    url.password === "" &&
    (url.pathname === "/" || url.pathname === "") &&
    url.search === "" &&
    url.hash === ""
  );
}
