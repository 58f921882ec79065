import { Breach } from "./ha-rules";
import {
  kubernetesQuantity,
  parsePostgresInteger,
  parsePostgresReal,
  POSTGRES_MEMORY_UNITS,
  POSTGRES_TIME_UNITS,
  PostgresMemoryUnit,
  PostgresNumber,
  PostgresTimeUnit,
} from "./quantities";
import { closest } from "./suggest";

/**
 * The PostgreSQL parameters an environment may set on a CloudNativePG cluster
 * (`spec.postgresql.parameters`), with PostgreSQL 18's types and ranges, and the parameters
 * CloudNativePG sets itself. Values are strings, as in postgresql.conf: "256MB", "200", "0.9", "5min".
 *
 * Ranges: postgres/postgres src/backend/utils/misc/guc_tables.c at commit 0164a0f9ee12 (PG18-era:
 * it has io_workers and autovacuum_worker_slots, new in 18; not confirmed to equal REL_18_0), the
 * same as `postgres --describe-config` of PostgreSQL 15 except where marked. Types and contexts of
 * the booleans and the enum: the same describe-config output, and
 * https://www.postgresql.org/docs/18/runtime-config.html.
 */

/** How a parameter's value is written and read. Memory and durations count in their base unit. */
export type PostgresParameterKind =
  | { readonly type: "memory"; readonly unit: PostgresMemoryUnit }
  | { readonly type: "duration"; readonly unit: PostgresTimeUnit; readonly fractional?: boolean }
  | { readonly type: "integer" }
  | { readonly type: "real" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "boolean" };

/** When a change takes effect: a restart (postmaster), a reload (sighup), or per session (superuser, user). */
export type PostgresContext = "postmaster" | "sighup" | "superuser" | "user";

export interface PostgresParameter {
  readonly kind: PostgresParameterKind;
  /** Smallest value, in the base unit (numeric kinds). */
  readonly min?: number;
  /** Largest value, in the base unit (numeric kinds). */
  readonly max?: number;
  /** PostgreSQL's default, in the base unit. */
  readonly default?: number;
  /** A value in the range that means something else, e.g. -1 for "disabled". */
  readonly special?: { readonly value: number; readonly meaning: string };
  /** CloudNativePG's own default where it replaces PostgreSQL's (pkg/postgres/configuration.go @ v1.30.0). */
  readonly operatorDefault?: string;
  readonly context: PostgresContext;
  readonly description: string;
}

const INT_MAX = 2147483647;
/** guc_tables.c: MAX_BACKENDS = 2^18 - 1. */
const MAX_BACKENDS = 262143;
/** guc_tables.c: MAX_PARALLEL_WORKER_LIMIT. */
const MAX_PARALLEL_WORKER_LIMIT = 1024;

const memory = (unit: PostgresMemoryUnit): PostgresParameterKind => ({ type: "memory", unit });
const duration = (unit: PostgresTimeUnit): PostgresParameterKind => ({ type: "duration", unit });
const integer: PostgresParameterKind = { type: "integer" };
const real: PostgresParameterKind = { type: "real" };
const boolean: PostgresParameterKind = { type: "boolean" };

export const POSTGRES_PARAMETERS: Readonly<Record<string, PostgresParameter>> = {
  // Memory
  shared_buffers: {
    kind: memory("8kB"),
    min: 16,
    max: 1073741823,
    default: 16384,
    context: "postmaster",
    description: "PostgreSQL's shared page cache; commonly about a quarter of the container's memory.",
  },
  effective_cache_size: {
    kind: memory("8kB"),
    min: 1,
    max: INT_MAX,
    default: 524288,
    context: "user",
    description: "The planner's estimate of the memory caching data (shared_buffers and the kernel's page cache); allocates nothing.",
  },
  work_mem: {
    kind: memory("kB"),
    min: 64,
    max: INT_MAX,
    default: 4096,
    context: "user",
    description: "Memory per sort or hash step before it spills to disk; one query may use it several times.",
  },
  maintenance_work_mem: {
    // PostgreSQL 15's minimum is 1024; 18's is 64.
    kind: memory("kB"),
    min: 64,
    max: INT_MAX,
    default: 65536,
    context: "user",
    description: "Memory for maintenance such as VACUUM, CREATE INDEX and ALTER TABLE ADD FOREIGN KEY.",
  },
  autovacuum_work_mem: {
    kind: memory("kB"),
    min: -1,
    max: INT_MAX,
    default: -1,
    context: "sighup",
    special: { value: -1, meaning: "use maintenance_work_mem" },
    description: "Memory for each autovacuum worker.",
  },
  wal_buffers: {
    kind: memory("8kB"),
    min: -1,
    max: 262143,
    default: -1,
    context: "postmaster",
    special: { value: -1, meaning: "size it from shared_buffers" },
    description: "Shared memory for WAL not yet written to disk.",
  },
  max_wal_size: {
    kind: memory("MB"),
    min: 2,
    max: INT_MAX,
    default: 1024,
    context: "sighup",
    description: "WAL size that triggers a checkpoint (a soft limit).",
  },
  min_wal_size: {
    kind: memory("MB"),
    min: 2,
    max: INT_MAX,
    default: 80,
    context: "sighup",
    description: "WAL kept for reuse instead of removed at checkpoints.",
  },
  // Checkpoints and planner
  checkpoint_timeout: {
    kind: duration("s"),
    min: 30,
    max: 86400,
    default: 300,
    context: "sighup",
    description: "Longest time between automatic checkpoints.",
  },
  checkpoint_completion_target: {
    kind: real,
    min: 0,
    max: 1,
    default: 0.9,
    context: "sighup",
    description: "Fraction of the checkpoint interval over which a checkpoint's writes are spread.",
  },
  random_page_cost: {
    kind: real,
    min: 0,
    max: Number.MAX_VALUE,
    default: 4,
    context: "user",
    description: "The planner's cost of a non-sequential page read; about 1.1 on SSDs.",
  },
  effective_io_concurrency: {
    // 16 is PostgreSQL 18's default (DEFAULT_EFFECTIVE_IO_CONCURRENCY); it was 1 before.
    kind: integer,
    min: 0,
    max: 1000,
    default: 16,
    context: "user",
    description: "Concurrent I/O requests PostgreSQL issues for one session (prefetching).",
  },
  default_statistics_target: {
    kind: integer,
    min: 1,
    max: 10000,
    default: 100,
    context: "user",
    description: "Detail of the statistics ANALYZE gathers for columns without their own target.",
  },
  // Connections and workers
  max_connections: {
    kind: integer,
    min: 1,
    max: MAX_BACKENDS,
    default: 100,
    context: "postmaster",
    description: "Most concurrent connections; each reserves shared memory.",
  },
  max_worker_processes: {
    kind: integer,
    min: 0,
    max: MAX_BACKENDS,
    default: 8,
    operatorDefault: "32",
    context: "postmaster",
    description: "Most background worker processes, parallel workers included.",
  },
  max_parallel_workers: {
    kind: integer,
    min: 0,
    max: MAX_PARALLEL_WORKER_LIMIT,
    default: 8,
    operatorDefault: "32",
    context: "user",
    description: "Most parallel workers active at once, within max_worker_processes.",
  },
  max_parallel_workers_per_gather: {
    kind: integer,
    min: 0,
    max: MAX_PARALLEL_WORKER_LIMIT,
    default: 2,
    context: "user",
    description: "Most parallel workers one query step may use.",
  },
  max_parallel_maintenance_workers: {
    kind: integer,
    min: 0,
    max: MAX_PARALLEL_WORKER_LIMIT,
    default: 2,
    context: "user",
    description: "Most parallel workers one CREATE INDEX or VACUUM may use.",
  },
  // Logging and timeouts
  log_min_duration_statement: {
    kind: duration("ms"),
    min: -1,
    max: INT_MAX,
    default: -1,
    context: "superuser",
    special: { value: -1, meaning: "log no statement for its duration" },
    description: "Logs each statement that runs at least this long (0 logs all).",
  },
  idle_in_transaction_session_timeout: {
    kind: duration("ms"),
    min: 0,
    max: INT_MAX,
    default: 0,
    context: "user",
    special: { value: 0, meaning: "never time out" },
    description: "Ends a session idle this long inside an open transaction.",
  },
  statement_timeout: {
    kind: duration("ms"),
    min: 0,
    max: INT_MAX,
    default: 0,
    context: "user",
    special: { value: 0, meaning: "never time out" },
    description: "Cancels a statement that runs this long.",
  },
  transaction_timeout: {
    // New in PostgreSQL 17.
    kind: duration("ms"),
    min: 0,
    max: INT_MAX,
    default: 0,
    context: "user",
    special: { value: 0, meaning: "never time out" },
    description: "Ends a session whose transaction has run this long.",
  },
  log_statement: {
    kind: { type: "enum", values: ["none", "ddl", "mod", "all"] },
    context: "superuser",
    description: "Which statements are logged: none, data definition (ddl), ddl and data changes (mod), or all.",
  },
  log_lock_waits: {
    kind: boolean,
    context: "superuser",
    description: "Logs a session that waits longer than deadlock_timeout for a lock.",
  },
  track_io_timing: {
    kind: boolean,
    context: "superuser",
    description: "Times block reads and writes for the statistics views (costs a clock call per I/O).",
  },
  jit: {
    kind: boolean,
    context: "user",
    description: "Lets the planner compile expressions with LLVM when the image ships it.",
  },
  // Autovacuum
  autovacuum: {
    kind: boolean,
    context: "sighup",
    description: "Runs the autovacuum launcher; turning it off risks transaction ID wraparound.",
  },
  autovacuum_max_workers: {
    // sighup in PostgreSQL 18 (postmaster before), within autovacuum_worker_slots.
    kind: integer,
    min: 1,
    max: MAX_BACKENDS,
    default: 3,
    context: "sighup",
    description: "Most autovacuum workers running at once.",
  },
  autovacuum_worker_slots: {
    // New in PostgreSQL 18.
    kind: integer,
    min: 1,
    max: MAX_BACKENDS,
    default: 16,
    context: "postmaster",
    description: "Worker slots reserved for autovacuum: the ceiling autovacuum_max_workers can be raised to without a restart.",
  },
  autovacuum_naptime: {
    kind: duration("s"),
    min: 1,
    max: 2147483,
    default: 60,
    context: "sighup",
    description: "Pause between autovacuum runs on one database.",
  },
  autovacuum_vacuum_threshold: {
    kind: integer,
    min: 0,
    max: INT_MAX,
    default: 50,
    context: "sighup",
    description: "Updated or deleted rows that, with the scale factor, trigger a VACUUM of a table.",
  },
  autovacuum_vacuum_max_threshold: {
    // New in PostgreSQL 18.
    kind: integer,
    min: -1,
    max: INT_MAX,
    default: 100000000,
    context: "sighup",
    special: { value: -1, meaning: "have no cap" },
    description: "Cap on the updated or deleted rows that trigger a VACUUM, however large the table.",
  },
  autovacuum_vacuum_insert_threshold: {
    kind: integer,
    min: -1,
    max: INT_MAX,
    default: 1000,
    context: "sighup",
    special: { value: -1, meaning: "never vacuum for inserts" },
    description: "Inserted rows that, with the insert scale factor, trigger a VACUUM of a table.",
  },
  autovacuum_analyze_threshold: {
    kind: integer,
    min: 0,
    max: INT_MAX,
    default: 50,
    context: "sighup",
    description: "Changed rows that, with the scale factor, trigger an ANALYZE of a table.",
  },
  autovacuum_vacuum_scale_factor: {
    kind: real,
    min: 0,
    max: 100,
    default: 0.2,
    context: "sighup",
    description: "Fraction of a table's rows, updated or deleted, added to the threshold for a VACUUM.",
  },
  autovacuum_vacuum_insert_scale_factor: {
    kind: real,
    min: 0,
    max: 100,
    default: 0.2,
    context: "sighup",
    description: "Fraction of a table's rows, inserted, added to the insert threshold for a VACUUM.",
  },
  autovacuum_analyze_scale_factor: {
    kind: real,
    min: 0,
    max: 100,
    default: 0.1,
    context: "sighup",
    description: "Fraction of a table's rows, changed, added to the threshold for an ANALYZE.",
  },
  autovacuum_vacuum_cost_delay: {
    kind: { type: "duration", unit: "ms", fractional: true },
    min: -1,
    max: 100,
    default: 2,
    context: "sighup",
    special: { value: -1, meaning: "use vacuum_cost_delay" },
    description: "Pause autovacuum takes each time it spends its cost limit; a real number of ms.",
  },
  autovacuum_vacuum_cost_limit: {
    kind: integer,
    min: -1,
    max: 10000,
    default: -1,
    context: "sighup",
    special: { value: -1, meaning: "use vacuum_cost_limit" },
    description: "I/O cost autovacuum spends before pausing, shared by its workers.",
  },
  autovacuum_freeze_max_age: {
    kind: integer,
    min: 100000,
    max: 2000000000,
    default: 200000000,
    context: "postmaster",
    description: "Transaction age at which a table is vacuumed to prevent wraparound, even with autovacuum off.",
  },
};

/** How CloudNativePG treats a parameter it controls: `fixed` it sets itself, `blocked` must stay at its default. */
export interface ManagedParameter {
  readonly treatment: "fixed" | "blocked";
  readonly why: string;
  /** What to do instead, when there is something. */
  readonly instead?: string;
}

const replication = "replication and recovery are run by the operator";
const tls = "the operator provides the server's TLS certificates";
const logging = "the instance manager collects PostgreSQL's logs as JSON on stdout";
const layout = "the operator lays out the instance's files and sockets";
const defaultOnly = "it must stay at its default inside CloudNativePG's pods";

const fixed = (why: string, instead?: string): ManagedParameter => ({
  treatment: "fixed",
  why,
  ...(instead === undefined ? {} : { instead }),
});
const blocked = (why: string): ManagedParameter => ({ treatment: "blocked", why });

/**
 * cloudnative-pg/cloudnative-pg pkg/postgres/configuration.go @ v1.30.0 `FixedConfigurationParameters`
 * (which the webhook, internal/webhook/v1/cluster_webhook.go, refuses with "Can't set fixed
 * configuration parameter" unless the value equals the operator's), plus allow_alter_system, which
 * the operator overwrites from spec.postgresql.enableAlterSystem (PostgreSQL 17 and later).
 */
export const CNPG_MANAGED_PARAMETERS: Readonly<Record<string, ManagedParameter>> = {
  allow_alter_system: fixed("the operator sets it from spec.postgresql.enableAlterSystem", "set spec.postgresql.enableAlterSystem"),
  allow_system_table_mods: blocked(defaultOnly),
  archive_cleanup_command: blocked(replication),
  archive_command: fixed("WAL archiving goes through the instance manager", "configure backups with the Barman Cloud plugin"),
  archive_mode: fixed("WAL archiving goes through the instance manager", "configure backups with the Barman Cloud plugin"),
  bonjour: blocked(defaultOnly),
  bonjour_name: blocked(defaultOnly),
  cluster_name: fixed("the operator names each instance after its cluster"),
  config_file: blocked(layout),
  data_directory: blocked(layout),
  data_sync_retry: blocked(defaultOnly),
  event_source: blocked(logging),
  external_pid_file: blocked(layout),
  hba_file: blocked(layout),
  hot_standby: blocked(replication),
  ident_file: blocked(layout),
  jit_provider: blocked(defaultOnly),
  listen_addresses: blocked("the operator's services and probes connect on every address"),
  log_destination: blocked(logging),
  log_directory: blocked(logging),
  log_file_mode: blocked(logging),
  log_filename: blocked(logging),
  log_rotation_age: blocked(logging),
  log_rotation_size: blocked(logging),
  log_truncate_on_rotation: blocked(logging),
  logging_collector: blocked(logging),
  "pg_failover_slots.primary_dsn": fixed(replication),
  "pg_failover_slots.standby_slot_names": fixed(replication),
  port: fixed("the operator's services and probes connect on 5432"),
  primary_conninfo: fixed(replication),
  primary_slot_name: fixed(replication),
  promote_trigger_file: blocked(replication),
  recovery_end_command: blocked(replication),
  recovery_min_apply_delay: blocked(replication),
  recovery_target: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_action: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_inclusive: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_lsn: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_name: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_time: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_timeline: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  recovery_target_xid: fixed(replication, "recover with bootstrap.recovery.recoveryTarget"),
  restart_after_crash: blocked("the operator restarts a crashed instance itself"),
  restore_command: fixed("WAL restore goes through the instance manager"),
  shared_preload_libraries: fixed(
    "the operator merges the libraries of the extensions it manages",
    "list extra libraries in spec.postgresql.shared_preload_libraries",
  ),
  ssl: fixed(tls),
  ssl_ca_file: fixed(tls, "set spec.certificates"),
  ssl_cert_file: fixed(tls, "set spec.certificates"),
  ssl_crl_file: fixed(tls),
  ssl_dh_params_file: fixed(tls),
  ssl_ecdh_curve: fixed(tls),
  ssl_key_file: fixed(tls, "set spec.certificates"),
  ssl_passphrase_command: fixed(tls),
  ssl_passphrase_command_supports_reload: fixed(tls),
  ssl_prefer_server_ciphers: fixed(tls),
  stats_temp_directory: blocked(defaultOnly),
  synchronized_standby_slots: fixed(replication, "set spec.replicationSlots"),
  synchronous_standby_names: fixed("the operator derives it from spec.postgresql.synchronous", "set spec.postgresql.synchronous"),
  syslog_facility: blocked(logging),
  syslog_ident: blocked(logging),
  syslog_sequence_numbers: blocked(logging),
  syslog_split_messages: blocked(logging),
  temp_tablespaces: fixed(
    "the operator sets it from the cluster's temporary tablespaces",
    "declare a tablespace with temporary: true in spec.tablespaces",
  ),
  unix_socket_directories: blocked(layout),
  unix_socket_group: blocked(layout),
  unix_socket_permissions: blocked(layout),
};

/**
 * What is wrong with setting `name` to `value` in spec.postgresql.parameters, or undefined: a name
 * the platform does not know (with the closest known one), one CloudNativePG sets itself, a value
 * of the wrong type or unit, a leading zero PostgreSQL reads as octal, a fraction on a whole
 * number, or a value out of range (said in the parameter's unit).
 */
export function postgresParameterProblem(name: string, value: string): Breach | undefined {
  const managed = CNPG_MANAGED_PARAMETERS[name.toLowerCase()];
  if (managed !== undefined) {
    const verb = managed.treatment === "fixed" ? "is set by the CloudNativePG operator" : "is blocked by CloudNativePG";
    return {
      message: `${name} ${verb}: ${managed.why}`,
      fix: managed.instead === undefined ? "remove it" : `remove it; ${managed.instead}`,
    };
  }
  const parameter = POSTGRES_PARAMETERS[name];
  if (parameter === undefined) {
    const suggestion = closest(name, Object.keys(POSTGRES_PARAMETERS));
    return {
      message: `${name} is not a PostgreSQL parameter the platform lets an environment set`,
      fix:
        suggestion === undefined
          ? "use one of POSTGRES_PARAMETERS in core/postgres-parameters.ts, or add it there with its PostgreSQL 18 range"
          : `did you mean ${suggestion}?`,
    };
  }
  const kind = parameter.kind;
  switch (kind.type) {
    case "boolean":
      return postgresBoolean(value) === undefined
        ? { message: `${name} ${JSON.stringify(value)} is not a boolean`, fix: "use on or off" }
        : undefined;
    case "enum":
      return kind.values.includes(value.toLowerCase())
        ? undefined
        : { message: `${name} ${JSON.stringify(value)} is not one of its values`, fix: `use one of ${kind.values.join(", ")}` };
    default:
      return numberProblem(name, value, parameter);
  }
}

/**
 * PostgreSQL's parse_bool (src/backend/utils/adt/bool.c): true, false, yes, no, on, off, 1, 0, or a
 * unique prefix of the words (at least "on" or "of" for on and off), case-insensitive, no spaces.
 */
export function postgresBoolean(value: string): boolean | undefined {
  const text = value.toLowerCase();
  if (text === "1") return true;
  if (text === "0") return false;
  if (text.length >= 2 && "on".startsWith(text)) return true;
  if (text.length >= 2 && "off".startsWith(text)) return false;
  if (text.length >= 1 && !text.startsWith("o")) {
    if ("true".startsWith(text) || "yes".startsWith(text)) return true;
    if ("false".startsWith(text) || "no".startsWith(text)) return false;
  }
  return undefined;
}

function numberProblem(name: string, value: string, parameter: PostgresParameter): Breach | undefined {
  const kind = parameter.kind;
  const unit = kind.type === "memory" || kind.type === "duration" ? kind.unit : undefined;
  const parsed: PostgresNumber =
    kind.type === "real" || (kind.type === "duration" && kind.fractional === true)
      ? parsePostgresReal(value, unit)
      : parsePostgresInteger(value, unit);
  const written = `${name} ${JSON.stringify(value)}`;
  const integral = kind.type !== "real" && !(kind.type === "duration" && kind.fractional === true);
  const leadingZero = integral && /^[ \t\n\v\f\r]*[+-]?0[0-9]/.test(value);

  if (parsed.value === undefined) {
    if (integral && /^[ \t\n\v\f\r]*[+-]?0[0-7]*[89]/.test(value))
      return {
        message: `${written} has a leading zero, so PostgreSQL reads it as octal, where 8 and 9 are not digits`,
        fix: "drop the leading zero",
      };
    switch (parsed.error) {
      case "unitless":
        return { message: `${written} has a unit, but ${name} takes a plain number`, fix: "write the number alone" };
      case "unit":
        return unitProblem(written, value, parsed.unit, kind);
      case "range":
        return { message: `${written} is beyond PostgreSQL's integer range`, fix: `use ${rangeText(parameter)}` };
      default:
        return { message: `${written} is not ${describeKind(kind)}`, fix: exampleOf(kind) };
    }
  }

  if (leadingZero) {
    const decimal = parsePostgresInteger(value.replace(/^([ \t\n\v\f\r]*[+-]?)0+(?=[0-9])/, "$1"), unit);
    if (decimal.value !== parsed.value) {
      return {
        message: `${written} has a leading zero, so PostgreSQL reads it as octal: ${show(parsed.value, parameter)}`,
        fix: "drop the leading zero",
      };
    }
  }
  if (kind.type === "integer") {
    const exact = parsePostgresReal(value).value;
    if (exact !== undefined && exact !== parsed.value) {
      return { message: `${written} is not a whole number; PostgreSQL would round it to ${parsed.value}`, fix: "write a whole number" };
    }
  }
  const { min = -Infinity, max = Infinity } = parameter;
  if (parsed.value < min || parsed.value > max) {
    const side = parsed.value < min ? `below its minimum of ${show(min, parameter)}` : `above its maximum of ${show(max, parameter)}`;
    return { message: `${written} is ${show(parsed.value, parameter)}, ${side}`, fix: `use ${rangeText(parameter)}` };
  }
  if (name === "shared_buffers" && !cnpgAcceptsSharedBuffers(value)) {
    return {
      message: `${written} is refused by CloudNativePG's webhook, which reads shared_buffers only as a whole number or a number with B, kB, MB, GB or TB`,
      fix: 'write it like "256MB" or "32768"',
    };
  }
  return undefined;
}

/** The unit PostgreSQL spells what `unit` meant, for the common misspellings (Kubernetes' Mi, Redis' mb, cron's m). */
function correctedUnit(unit: string, kind: PostgresParameterKind): string | undefined {
  if (kind.type === "memory") {
    const match = /^([kKmMgGtT]?)(i|iB|ib|b|B)?$/.exec(unit);
    if (match === null) return undefined;
    return { "": "B", k: "kB", m: "MB", g: "GB", t: "TB" }[match[1].toLowerCase()];
  }
  const time: Readonly<Record<string, readonly string[]>> = {
    min: ["m", "mins", "minute", "minutes"],
    s: ["sec", "secs", "second", "seconds"],
    h: ["hr", "hrs", "hour", "hours"],
    d: ["day", "days"],
    ms: ["msec", "msecs", "millisecond", "milliseconds"],
    us: ["\u00b5s", "\u03bcs", "usec", "usecs", "microsecond", "microseconds"],
  };
  const lower = unit.toLowerCase();
  const found = Object.entries(time).find(([right, wrong]) => right === lower || wrong.includes(lower));
  return found?.[0];
}

function unitProblem(written: string, value: string, unit: string, kind: PostgresParameterKind): Breach {
  const units = kind.type === "memory" ? POSTGRES_MEMORY_UNITS : POSTGRES_TIME_UNITS;
  const what = kind.type === "memory" ? "memory" : "time";
  const corrected = correctedUnit(unit, kind);
  const message = `${written} has the unit ${JSON.stringify(unit)}, which is not one of PostgreSQL's ${what} units (${units.join(", ")}; case-sensitive)`;
  if (corrected === undefined || corrected === unit) return { message, fix: exampleOf(kind) };
  const trimmed = value.replace(/[ \t\n\v\f\r]+$/, "");
  return { message, fix: `write ${JSON.stringify(`${trimmed.slice(0, trimmed.length - unit.length)}${corrected}`)}` };
}

function describeKind(kind: PostgresParameterKind): string {
  switch (kind.type) {
    case "memory":
      return "a memory size";
    case "duration":
      return "a duration";
    case "integer":
      return "a whole number";
    default:
      return "a number";
  }
}

function exampleOf(kind: PostgresParameterKind): string {
  switch (kind.type) {
    case "memory":
      return `write a number with one of the units ${POSTGRES_MEMORY_UNITS.join(", ")}, e.g. "256MB"; a bare number counts ${unitWords(kind.unit)}`;
    case "duration":
      return `write a number with one of the units ${POSTGRES_TIME_UNITS.join(", ")}, e.g. "5min"; a bare number counts ${unitWords(kind.unit)}`;
    case "integer":
      return "write a whole number";
    default:
      return 'write a number, e.g. "0.9"';
  }
}

function unitWords(unit: PostgresMemoryUnit | PostgresTimeUnit): string {
  return { B: "bytes", kB: "kB", MB: "MB", "8kB": "8kB pages", ms: "milliseconds", s: "seconds", min: "minutes" }[unit];
}

/** A value in the base unit, written the way a person reads it: "128kB (16 pages of 8kB)", "5min", "200". */
function show(value: number, parameter: PostgresParameter, pages = true): string {
  if (parameter.special?.value === value || value === 0) return String(value);
  const kind = parameter.kind;
  if (kind.type === "memory") {
    const kb = value * { B: 1 / 1024, kB: 1, MB: 1024, "8kB": 8 }[kind.unit];
    const text = largestUnit(
      kb,
      [
        ["TB", 1024 ** 3],
        ["GB", 1024 ** 2],
        ["MB", 1024],
        ["kB", 1],
      ],
      "kB",
      value === 0 ? "0" : undefined,
    );
    return kind.unit === "8kB" && pages ? `${text} (${value} page${value === 1 ? "" : "s"} of 8kB)` : text;
  }
  if (kind.type === "duration") {
    const ms = value * { ms: 1, s: 1000, min: 60_000 }[kind.unit];
    return largestUnit(
      ms,
      [
        ["d", 86_400_000],
        ["h", 3_600_000],
        ["min", 60_000],
        ["s", 1000],
        ["ms", 1],
      ],
      "ms",
      value === 0 ? "0" : undefined,
    );
  }
  return value === Number.MAX_VALUE ? "the largest double" : String(value);
}

/**
 * The value in the largest unit it reaches when that is a whole number ("3GB"), else in a smaller
 * unit it is a short whole number of ("1500MB"), else about so much of the largest ("about 24.9d").
 */
function largestUnit(value: number, units: ReadonlyArray<readonly [string, number]>, smallest: string, zero?: string): string {
  if (zero !== undefined) return zero;
  const magnitude = Math.abs(value);
  const reached = units.filter(([, size]) => magnitude >= size);
  if (reached.length === 0) return `${value}${smallest}`;
  const exact = reached.find(([, size], index) => Number.isInteger(magnitude / size) && (index === 0 || magnitude / size < 10_000));
  if (exact !== undefined) return `${value / exact[1]}${exact[0]}`;
  const [name, size] = reached[0];
  const rounded = Math.round((value / size) * 10) / 10;
  // A limit one step short of a round number, such as INT_MAX kB: "just under 2TB".
  const near = Math.abs(value - rounded * size) < size / 1000 ? (value < rounded * size ? "just under" : "just over") : "about";
  return `${near} ${rounded}${name}`;
}

/**
 * The allowed values, for a fix: "30s to 1d", "64kB to just under 2TB, or -1 to use maintenance_work_mem".
 * No parentheses, as a fix is printed inside them: 8kB pages are counted after a comma.
 */
function rangeText(parameter: PostgresParameter): string {
  const { min = -Infinity, max = Infinity, special, kind } = parameter;
  const low = special !== undefined && special.value === min ? min + 1 : min;
  const upper = max === Number.MAX_VALUE ? "or more" : `to ${show(max, parameter, false)}`;
  const pages = kind.type === "memory" && kind.unit === "8kB" ? `, that is ${low} to ${max} pages of 8kB` : "";
  const range = `${show(low, parameter, false)} ${upper}${pages}`;
  return special === undefined ? range : `${range}, or ${special.value} to ${special.meaning}`;
}

/**
 * CloudNativePG's webhook also parses shared_buffers itself (internal/webhook/v1/cluster_webhook.go
 * @ v1.30.0, `parsePostgresQuantityValue`): a whole number (strconv.Atoi), or a number ending in B
 * whose unit, with spaces removed and "B" turned into "i", is a Kubernetes quantity. So "0x10",
 * "1e3" and "256MB " (trailing space), which PostgreSQL reads, are refused.
 */
export function cnpgAcceptsSharedBuffers(value: string): boolean {
  if (/^[+-]?[0-9]+$/.test(value)) return true;
  if (!value.endsWith("B")) return false;
  let quantity = value.slice(0, -1).replace(/ /g, "");
  if (!/^[+-]?[0-9]+$/.test(quantity)) quantity = `${quantity}i`.replace(/ki/g, "Ki");
  return kubernetesQuantity(quantity) !== undefined;
}
