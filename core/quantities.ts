/**
 * Exact parsers for the units the platform's values are written in: Kubernetes quantities, Redis
 * memory, PostgreSQL settings and the duration formats of Go, Prometheus and Barman. Each follows
 * the parser of the program that reads the value (cited at each one), returns a number, and
 * returns undefined for a malformed value instead of throwing: judging the number is the
 * validators' job.
 */

// ---------------------------------------------------------------------------------------------
// Kubernetes resource.Quantity
// ---------------------------------------------------------------------------------------------

/**
 * The grammar of kubernetes/apimachinery v0.36.3 pkg/api/resource/quantity.go (doc comment of
 * `Quantity`) with the suffixes of suffix.go (`n` and `u` too):
 *   <quantity> ::= <sign>? <number> <suffix>?    <number> ::= digits | digits. | digits.digits | .digits
 *   <suffix>   ::= Ki|Mi|Gi|Ti|Pi|Ei | n|u|m|k|M|G|T|P|E | (e|E) <sign>? digits
 * The exponent is an integer: suffix.go `interpret` reads it with strconv.ParseInt, so "1e1.5",
 * which the grammar comment and the CRD pattern allow, is refused by the parser itself.
 * Not reproduced on purpose: parseQuantityString accepts a number without digits ("", ".", "-",
 * "Gi" all read as 0); the CRD pattern controller-gen emits requires a digit, and so does this.
 */
const QUANTITY = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

const BINARY_EXPONENT: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const NANO = 1_000_000_000n;
/** quantity.go `maxAllowed`: a binary-suffixed quantity is capped at 2^63-1. */
const MAX_ALLOWED_NANOS = (2n ** 63n - 1n) * NANO;
/** Beyond this the value is not a finite double, or rounds to the smallest quantity. */
const EXPONENT_LIMIT = 400;

/**
 * A quantity in nano-units, as ParseQuantity stores it: rounded up (away from zero) to 1n, the
 * smallest value it represents ("This rounds non-zero values up to the minimum representable
 * value", quantity.go), and capped at 2^63-1 when the suffix is binary.
 */
function quantityNanos(value: string): bigint | undefined {
  const match = QUANTITY.exec(value);
  if (match === null) return undefined;
  const [, sign, number, suffix = ""] = match;
  const [whole, fraction = ""] = number.split(".");
  const digits = BigInt(`${whole}${fraction}` || "0");
  let exponent10 = -fraction.length + 9;
  let exponent2 = 0;
  if (suffix in BINARY_EXPONENT) exponent2 = BINARY_EXPONENT[suffix];
  else if (suffix in DECIMAL_EXPONENT) exponent10 += DECIMAL_EXPONENT[suffix];
  else {
    // strconv.ParseInt(_, 10, 64) refuses an exponent beyond int64.
    const exponent = BigInt(suffix.slice(1));
    if (exponent > 2n ** 63n - 1n || exponent < -(2n ** 63n)) return undefined;
    exponent10 += Number(exponent);
  }
  if (digits === 0n) return 0n;
  if (exponent10 > EXPONENT_LIMIT) return undefined;
  let nanos = digits << BigInt(exponent2);
  if (exponent10 >= 0) {
    nanos *= 10n ** BigInt(exponent10);
  } else {
    const divisor = 10n ** BigInt(Math.min(-exponent10, EXPONENT_LIMIT));
    nanos = (nanos + divisor - 1n) / divisor;
  }
  if (exponent2 > 0 && nanos > MAX_ALLOWED_NANOS) nanos = MAX_ALLOWED_NANOS;
  return sign === "-" ? -nanos : nanos;
}

/** `nanos / 10^9` as the nearest double, or undefined when it is not finite. */
function nanosToNumber(nanos: bigint): number | undefined {
  const magnitude = nanos < 0n ? -nanos : nanos;
  const text = `${nanos < 0n ? "-" : ""}${magnitude / NANO}.${(magnitude % NANO).toString().padStart(9, "0")}`;
  const result = Number(text);
  return Number.isFinite(result) ? result : undefined;
}

/** Rounds up, away from zero, to a multiple of `unit` nanos, then divides: `Quantity.Value()` and `MilliValue()`. */
function ceilNanos(nanos: bigint, unit: bigint): bigint {
  const magnitude = nanos < 0n ? -nanos : nanos;
  const rounded = (magnitude + unit - 1n) / unit;
  return nanos < 0n ? -rounded : rounded;
}

/**
 * A Kubernetes `resource.Quantity` ("512Mi", "1.5", "250m", "1e3", "-2k") as the number it stands
 * for, or undefined when Kubernetes would refuse it. Note the capitals: "1k" is 1000, "1Ki" 1024,
 * "1K" and "1KiB" are malformed, "1m" is a thousandth and "1M" a million.
 */
export function kubernetesQuantity(value: string): number | undefined {
  const nanos = quantityNanos(value);
  return nanos === undefined ? undefined : nanosToNumber(nanos);
}

/**
 * A memory quantity in bytes, rounded up to a whole byte as `Quantity.Value()` does ("rounded up to
 * the nearest integer away from 0"). "256m" is therefore 1 byte, not 256 MiB: judging whether an
 * amount is plausible is the validators' job.
 */
export function memoryBytes(value: string): number | undefined {
  const nanos = quantityNanos(value);
  if (nanos === undefined) return undefined;
  const bytes = Number(ceilNanos(nanos, NANO));
  return Number.isFinite(bytes) ? bytes : undefined;
}

/**
 * A CPU quantity in cores ("250m" is 0.25, "2" is 2), rounded up to a whole millicore as
 * `Quantity.MilliValue()` does: Kubernetes schedules CPU in millicores.
 */
export function cpuCores(value: string): number | undefined {
  const nanos = quantityNanos(value);
  if (nanos === undefined) return undefined;
  const millicores = Number(ceilNanos(nanos, 1_000_000n));
  return Number.isFinite(millicores) ? millicores / 1000 : undefined;
}

const BINARY_UNITS: ReadonlyArray<readonly [string, number]> = [
  ["Ei", 2 ** 60],
  ["Pi", 2 ** 50],
  ["Ti", 2 ** 40],
  ["Gi", 2 ** 30],
  ["Mi", 2 ** 20],
  ["Ki", 2 ** 10],
];

/**
 * Bytes written for a message, in binary units: "1.5Gi", "1500Mi", "512". The largest unit is used
 * with up to two decimals when that is exact, a smaller unit when the value is a whole number of
 * it, and otherwise the largest unit rounded, after "about " ("about 6.52Gi").
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? "-" : "";
  const magnitude = Math.abs(bytes);
  const units = BINARY_UNITS.filter(([, size]) => magnitude >= size);
  if (units.length === 0) return `${sign}${magnitude}`;
  const [largestName, largestSize] = units[0];
  const largest = magnitude / largestSize;
  if (Number.isInteger(largest * 100)) return `${sign}${largest}${largestName}`;
  for (const [name, size] of units.slice(1)) {
    if (Number.isInteger(magnitude / size)) return `${sign}${magnitude / size}${name}`;
  }
  if (Number.isInteger(magnitude) && magnitude < 1024 * 1024) return `${sign}${magnitude}`;
  return `about ${sign}${Math.round(largest * 100) / 100}${largestName}`;
}

// ---------------------------------------------------------------------------------------------
// Redis memory
// ---------------------------------------------------------------------------------------------

/**
 * redis/redis src/util.c `memtoull` (snapshot 4f8cdc2a1ea5; redis.conf's header says the same):
 * digits, then nothing or b (bytes), k = 1000, kb = 1024, m = 10^6, mb = 1024^2, g = 10^9,
 * gb = 1024^3, case-insensitive. No sign, fraction or space.
 */
const REDIS_MEMORY = /^([0-9]+)(b|k|kb|m|mb|g|gb)?$/i;
const REDIS_UNITS: Readonly<Record<string, bigint>> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1_000_000n,
  mb: 1024n ** 2n,
  g: 1_000_000_000n,
  gb: 1024n ** 3n,
};

/**
 * A Redis memory setting (`maxmemory 2gb`) in bytes. Beware: "2g" is 2·10^9 bytes and "2gb" is
 * 2 GiB, so a Kubernetes limit of 2Gi corresponds to "2gb". Stricter than memtoull on purpose:
 * a unit without digits (memtoull reads "mb" as 0) and a value past 2^64-1 (which memtoull wraps
 * around) are refused.
 */
export function redisMemoryBytes(value: string): number | undefined {
  const match = REDIS_MEMORY.exec(value);
  if (match === null) return undefined;
  const bytes = BigInt(match[1]) * REDIS_UNITS[(match[2] ?? "").toLowerCase()];
  return bytes > 2n ** 64n - 1n ? undefined : Number(bytes);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL settings (GUCs)
// ---------------------------------------------------------------------------------------------

/**
 * Base units of PostgreSQL's memory settings: B, kB (work_mem), MB (max_wal_size) and 8kB pages
 * (shared_buffers: GUC_UNIT_BLOCKS; wal_buffers: GUC_UNIT_XBLOCKS, both 8kB in standard builds).
 */
export type PostgresMemoryUnit = "B" | "kB" | "MB" | "8kB";
/** Base units of PostgreSQL's time settings: GUC_UNIT_MS, GUC_UNIT_S, GUC_UNIT_MIN. */
export type PostgresTimeUnit = "ms" | "s" | "min";
export type PostgresUnit = PostgresMemoryUnit | PostgresTimeUnit;

/** The units a value may carry: postgres/postgres src/backend/utils/misc/guc.c, memory_units_hint and time_units_hint. Case-sensitive. */
export const POSTGRES_MEMORY_UNITS: readonly string[] = ["B", "kB", "MB", "GB", "TB"];
export const POSTGRES_TIME_UNITS: readonly string[] = ["us", "ms", "s", "min", "h", "d"];

/**
 * guc.c `memory_unit_conversion_table` and `time_unit_conversion_table`: for each base unit, the
 * units largest first with their multipliers, written as guc.c computes them so the doubles match.
 */
const BLCKSZ = 8192;
const CONVERSIONS: Readonly<Record<PostgresUnit, ReadonlyArray<readonly [string, number]>>> = {
  B: [
    ["TB", 1024.0 * 1024.0 * 1024.0 * 1024.0],
    ["GB", 1024.0 * 1024.0 * 1024.0],
    ["MB", 1024.0 * 1024.0],
    ["kB", 1024.0],
    ["B", 1.0],
  ],
  kB: [
    ["TB", 1024.0 * 1024.0 * 1024.0],
    ["GB", 1024.0 * 1024.0],
    ["MB", 1024.0],
    ["kB", 1.0],
    ["B", 1.0 / 1024.0],
  ],
  MB: [
    ["TB", 1024.0 * 1024.0],
    ["GB", 1024.0],
    ["MB", 1.0],
    ["kB", 1.0 / 1024.0],
    ["B", 1.0 / (1024.0 * 1024.0)],
  ],
  "8kB": [
    ["TB", (1024.0 * 1024.0 * 1024.0) / (BLCKSZ / 1024)],
    ["GB", (1024.0 * 1024.0) / (BLCKSZ / 1024)],
    ["MB", 1024.0 / (BLCKSZ / 1024)],
    ["kB", 1.0 / (BLCKSZ / 1024)],
    ["B", 1.0 / BLCKSZ],
  ],
  ms: [
    ["d", 1000 * 60 * 60 * 24],
    ["h", 1000 * 60 * 60],
    ["min", 1000 * 60],
    ["s", 1000],
    ["ms", 1],
    ["us", 1.0 / 1000],
  ],
  s: [
    ["d", 60 * 60 * 24],
    ["h", 60 * 60],
    ["min", 60],
    ["s", 1],
    ["ms", 1.0 / 1000],
    ["us", 1.0 / (1000 * 1000)],
  ],
  min: [
    ["d", 60 * 24],
    ["h", 60],
    ["min", 1],
    ["s", 1.0 / 60],
    ["ms", 1.0 / (1000 * 60)],
    ["us", 1.0 / (1000 * 1000 * 60)],
  ],
};

/** kB in one base unit, for postgresMemoryKb. */
const KB_PER_UNIT: Readonly<Record<PostgresMemoryUnit, number>> = { B: 1 / 1024, kB: 1, MB: 1024, "8kB": 8 };
/** ms in one base unit, for postgresDurationMs. */
const MS_PER_UNIT: Readonly<Record<PostgresTimeUnit, number>> = { ms: 1, s: 1000, min: 60_000 };

export function isPostgresMemoryUnit(unit: PostgresUnit): unit is PostgresMemoryUnit {
  return unit === "B" || unit === "kB" || unit === "MB" || unit === "8kB";
}

/**
 * A PostgreSQL number read as the server reads it, in the setting's base unit; or why not:
 * `syntax` (not a number), `unitless` (a unit on a setting that takes none), `unit` (a unit that is
 * not one of the setting's), `range` (an integer setting beyond the 32-bit integer range).
 */
export type PostgresNumber =
  | { readonly value: number; readonly error?: undefined }
  | { readonly error: "syntax" | "unitless" | "range"; readonly value?: undefined }
  | { readonly error: "unit"; readonly unit: string; readonly value?: undefined };

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** C's isspace in the "C" locale. */
function isSpace(character: string | undefined): boolean {
  return character === " " || character === "\t" || character === "\n" || character === "\v" || character === "\f" || character === "\r";
}

function skipSpaces(text: string, from: number): number {
  let index = from;
  while (isSpace(text[index])) index++;
  return index;
}

/** C's strtol(value, &end, 0): decimal, 0-prefixed octal or 0x-prefixed hexadecimal. `end` 0 means no conversion. */
function strtol(text: string): { value: number; end: number; overflow: boolean } {
  let index = skipSpaces(text, 0);
  let negative = false;
  if (text[index] === "+" || text[index] === "-") {
    negative = text[index] === "-";
    index++;
  }
  let base = 10;
  if (text[index] === "0" && (text[index + 1] === "x" || text[index + 1] === "X") && /[0-9a-fA-F]/.test(text[index + 2] ?? "")) {
    base = 16;
    index += 2;
  } else if (text[index] === "0") {
    base = 8;
  }
  const start = index;
  let magnitude = 0n;
  while (index < text.length) {
    const digit = parseInt(text[index], base);
    if (Number.isNaN(digit)) break;
    magnitude = magnitude * BigInt(base) + BigInt(digit);
    index++;
  }
  if (index === start) return { value: 0, end: 0, overflow: false };
  const overflow = magnitude > (negative ? 2n ** 63n : 2n ** 63n - 1n);
  return { value: Number(negative ? -magnitude : magnitude), end: index, overflow };
}

/** C's strtod (glibc): decimal and hexadecimal ("0x1.8p3") floats, "inf", "infinity" and "nan" (case-insensitive). */
function strtod(text: string): { value: number; end: number; erange: boolean } {
  let index = skipSpaces(text, 0);
  let sign = 1;
  if (text[index] === "+" || text[index] === "-") {
    sign = text[index] === "-" ? -1 : 1;
    index++;
  }
  const rest = text.slice(index).toLowerCase();
  for (const [word, value] of [
    ["infinity", Infinity],
    ["inf", Infinity],
    ["nan", NaN],
  ] as const) {
    if (rest.startsWith(word)) return { value: sign * value, end: index + word.length, erange: false };
  }
  const hex = /^0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?/.exec(text.slice(index));
  if (hex !== null) {
    const [whole, fraction = ""] = hex[1].split(".");
    const mantissa = parseInt(`${whole}${fraction}` || "0", 16) * 2 ** (-4 * fraction.length);
    const value = sign * mantissa * 2 ** Number((hex[2] ?? "p0").slice(1));
    return { value, end: index + hex[0].length, erange: !Number.isFinite(value) };
  }
  const match = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(text.slice(index));
  if (match === null) return { value: 0, end: 0, erange: false };
  const value = sign * Number(match[0]);
  const nonzero = /[1-9]/.test(match[1]);
  return { value, end: index + match[0].length, erange: !Number.isFinite(value) || (nonzero && value === 0) };
}

/** C's rint under the default rounding mode: to the nearest integer, halves to even. */
function rint(value: number): number {
  if (!Number.isFinite(value)) return value;
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference < 0.5) return floor;
  if (difference > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** guc.c `convert_to_base_unit`; a fractional value is rounded to the next smaller unit ("30.1GB" to whole MB). */
function convertToBaseUnit(value: number, unitText: string, unit: PostgresUnit): number | undefined {
  const name = unitText.replace(/[ \t\n\v\f\r]+$/, "");
  const table = CONVERSIONS[unit];
  const index = table.findIndex(([candidate]) => candidate === name);
  if (index < 0) return undefined;
  const converted = value * table[index][1];
  const smaller = table[index + 1];
  return smaller === undefined ? converted : rint(converted / smaller[1]) * smaller[1];
}

/** The number and unit parts shared by parse_int and parse_real, after the number was read up to `end`. */
function withUnit(text: string, value: number, end: number, unit: PostgresUnit | undefined): PostgresNumber {
  if (Number.isNaN(value)) return { error: "syntax" };
  const unitStart = skipSpaces(text, end);
  if (unitStart >= text.length) return { value };
  if (unit === undefined) return { error: "unitless" };
  const converted = convertToBaseUnit(value, text.slice(unitStart), unit);
  if (converted === undefined) return { error: "unit", unit: text.slice(unitStart).trim() };
  return { value: converted };
}

/**
 * An integer setting as postgres/postgres guc.c `parse_int` reads it (the tests' values were read
 * from a PostgreSQL 15 server with `postgres -C`; that 18 parses alike is assumed, its unit tables
 * are the same): strtol with base 0, so
 * "0x10" is 16 and "010" is **8** (octal); then a fraction or exponent is re-read as a double
 * ("1.5GB", "1e3"); a unit (none for a unitless setting) converts to the base unit; the result is
 * rounded half to even and must fit a 32-bit integer. Spaces may lead, follow, or separate the unit.
 */
export function parsePostgresInteger(value: string, unit?: PostgresUnit): PostgresNumber {
  const integer = strtol(value);
  let { value: number, end } = integer;
  let erange = false;
  const next = value[end];
  if (next === "." || next === "e" || next === "E" || integer.overflow) ({ value: number, end, erange } = strtod(value));
  if (end === 0 || erange) return { error: "syntax" };
  const parsed = withUnit(value, number, end, unit);
  if (parsed.value === undefined) return parsed;
  const rounded = rint(parsed.value);
  return rounded > INT_MAX || rounded < INT_MIN ? { error: "range" } : { value: rounded };
}

/** A real setting as guc.c `parse_real` reads it: strtod, then an optional unit (for real settings with one, such as autovacuum_vacuum_cost_delay). */
export function parsePostgresReal(value: string, unit?: PostgresUnit): PostgresNumber {
  const { value: number, end, erange } = strtod(value);
  if (end === 0 || erange) return { error: "syntax" };
  return withUnit(value, number, end, unit);
}

/**
 * A PostgreSQL memory setting in kB. `unit` is the setting's base unit, which a bare number is
 * counted in: "1024" for shared_buffers (8kB pages) is 8192 kB, for work_mem (kB) 1024 kB.
 * Units are B, kB, MB, GB and TB, case-sensitive, multiples of 1024 ("1GB" is 1048576 kB).
 */
export function postgresMemoryKb(value: string, unit: PostgresMemoryUnit): number | undefined {
  const parsed = parsePostgresInteger(value, unit);
  return parsed.value === undefined ? undefined : parsed.value * KB_PER_UNIT[unit];
}

/**
 * A PostgreSQL integer time setting in ms. `unit` is the setting's base unit, which a bare number
 * is counted in: "300" for checkpoint_timeout (s) is 300000 ms, for statement_timeout (ms) 300 ms.
 * Units are us, ms, s, min, h and d: minutes are "min", "5m" is malformed.
 */
export function postgresDurationMs(value: string, unit: PostgresTimeUnit): number | undefined {
  const parsed = parsePostgresInteger(value, unit);
  return parsed.value === undefined ? undefined : parsed.value * MS_PER_UNIT[unit];
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

/** golang/go src/time/format.go `unitMap`: "µs" is U+00B5, "μs" U+03BC; there is no "d". */
const GO_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: NANO,
  m: 60n * NANO,
  h: 3600n * NANO,
};

/**
 * A Go `time.ParseDuration` string in seconds: a sign, then one or more decimal numbers with an
 * optional fraction, each with a unit (ns us µs ms s m h), e.g. "72h", "1h30m", "1.5s", "-2m";
 * "0" alone needs no unit. Days are not a Go unit: "7d" is malformed, write "168h". The total must
 * fit Go's int64 nanoseconds (about 292 years). Loki and Tempo read their `time.Duration` settings
 * this way; a setting typed `model.Duration` instead (Loki's retention_period, "so that we can
 * accept 1w, 1y") is a Prometheus duration: prometheusDurationSeconds.
 */
export function goDurationSeconds(value: string): number | undefined {
  let rest = value;
  let negative = false;
  if (rest[0] === "-" || rest[0] === "+") {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0n;
  while (rest !== "") {
    const match = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest);
    const whole = match?.[1] ?? "";
    const fraction = match?.[2] ?? "";
    if (match === null || (whole === "" && fraction === "")) return undefined;
    rest = rest.slice(match[0].length);
    const unitLength = rest.search(/[0-9.]/);
    const unitName = unitLength < 0 ? rest : rest.slice(0, unitLength);
    const unit = GO_UNITS[unitName];
    if (unit === undefined) return undefined;
    rest = rest.slice(unitName.length);
    // Fractions of a nanosecond are dropped, as Go's float arithmetic drops them.
    total += BigInt(whole || "0") * unit + (BigInt(fraction || "0") * unit) / 10n ** BigInt(fraction.length);
    if (total > 2n ** 63n - (negative ? 0n : 1n)) return undefined;
  }
  return nanosToNumber(negative ? -total : total);
}

/**
 * prometheus/common model/time.go `ParseDuration` (the `durationRE` of the stored version,
 * 06628cd7; newer versions parse without the regex to the same effect): whole numbers with the
 * units y (365d) w d h m s ms, each at most once and largest first ("1d12h", not "12h1d"), or "0".
 */
const PROMETHEUS_DURATION = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const PROMETHEUS_MS = [365n * 86_400_000n, 7n * 86_400_000n, 86_400_000n, 3_600_000n, 60_000n, 1000n, 1n];

/** A Prometheus duration ("15d", "1d12h", "30s", "500ms") in seconds; undefined when malformed, empty, or beyond Go's int64 nanoseconds. */
export function prometheusDurationSeconds(value: string): number | undefined {
  if (value === "0") return 0;
  const match = PROMETHEUS_DURATION.exec(value);
  if (value === "" || match === null) return undefined;
  const ms = match.slice(1).reduce((sum, part, index) => sum + (part === undefined ? 0n : BigInt(part) * PROMETHEUS_MS[index]), 0n);
  return ms * 1_000_000n > 2n ** 63n - 1n ? undefined : Number(ms) / 1000;
}

/**
 * A CloudNativePG / Barman Cloud plugin `retentionPolicy` ("7d", "4w", "3m") as its recovery window
 * in days. The form is the CRD's pattern `^[1-9][0-9]*[dwm]$` (plugin-barman-cloud
 * api/v1/objectstore_types.go; the in-tree Cluster CRD has the same), passed to Barman as
 * "RECOVERY WINDOW OF n DAYS|WEEKS|MONTHS"; Barman counts a month as 31 days
 * (EnterpriseDB/barman barman/retention_policies.py, `RecoveryWindowRetentionPolicy`). "m" is
 * months here, not minutes.
 */
export function barmanRetention(value: string): number | undefined {
  const match = /^([1-9][0-9]*)([dwm])$/.exec(value);
  if (match === null) return undefined;
  const count = Number(match[1]);
  const days = count * { d: 1, w: 7, m: 31 }[match[2] as "d" | "w" | "m"];
  return Number.isSafeInteger(days) ? days : undefined;
}
