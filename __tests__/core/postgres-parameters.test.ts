import {
  cnpgAcceptsSharedBuffers,
  CNPG_MANAGED_PARAMETERS,
  POSTGRES_PARAMETERS,
  postgresBoolean,
  postgresParameterProblem,
} from "../../core/postgres-parameters";
import { parsePostgresInteger } from "../../core/quantities";

describe("the PostgreSQL 18 catalogue", () => {
  test("entries match guc_tables.c (PG18, per the research notes' table)", () => {
    expect(POSTGRES_PARAMETERS.shared_buffers).toMatchObject({
      kind: { type: "memory", unit: "8kB" },
      min: 16,
      max: 1073741823,
      default: 16384,
      context: "postmaster",
    });
    expect(POSTGRES_PARAMETERS.work_mem).toMatchObject({ kind: { type: "memory", unit: "kB" }, min: 64, max: 2147483647, default: 4096 });
    expect(POSTGRES_PARAMETERS.maintenance_work_mem).toMatchObject({ min: 64, default: 65536 });
    expect(POSTGRES_PARAMETERS.max_wal_size).toMatchObject({ kind: { type: "memory", unit: "MB" }, min: 2, default: 1024 });
    expect(POSTGRES_PARAMETERS.checkpoint_timeout).toMatchObject({
      kind: { type: "duration", unit: "s" },
      min: 30,
      max: 86400,
      default: 300,
    });
    expect(POSTGRES_PARAMETERS.max_connections).toMatchObject({ kind: { type: "integer" }, min: 1, max: 262143, default: 100 });
    expect(POSTGRES_PARAMETERS.effective_io_concurrency).toMatchObject({ min: 0, max: 1000, default: 16 });
    expect(POSTGRES_PARAMETERS.max_parallel_workers).toMatchObject({ max: 1024, default: 8, operatorDefault: "32" });
    expect(POSTGRES_PARAMETERS.autovacuum_max_workers).toMatchObject({ context: "sighup" });
    expect(POSTGRES_PARAMETERS.autovacuum_vacuum_cost_delay).toMatchObject({
      kind: { type: "duration", unit: "ms", fractional: true },
      min: -1,
      max: 100,
      default: 2,
    });
    expect(POSTGRES_PARAMETERS.autovacuum_freeze_max_age).toMatchObject({ min: 100000, max: 2000000000, default: 200000000 });
  });

  test("the defaults are PostgreSQL's documented ones: 128MB of shared_buffers, 4GB of effective_cache_size, 4MB of work_mem", () => {
    expect(POSTGRES_PARAMETERS.shared_buffers.default).toBe(parsePostgresInteger("128MB", "8kB").value);
    expect(POSTGRES_PARAMETERS.effective_cache_size.default).toBe(parsePostgresInteger("4GB", "8kB").value);
    expect(POSTGRES_PARAMETERS.work_mem.default).toBe(parsePostgresInteger("4MB", "kB").value);
    expect(POSTGRES_PARAMETERS.checkpoint_timeout.default).toBe(parsePostgresInteger("5min", "s").value);
  });

  test.each(Object.entries(POSTGRES_PARAMETERS))(
    "%s is consistent: a description, a default in range, no managed name",
    (name, parameter) => {
      expect(parameter.description).toMatch(/^[A-Z].*\.$/);
      expect(CNPG_MANAGED_PARAMETERS[name]).toBeUndefined();
      const numeric = !["enum", "boolean"].includes(parameter.kind.type);
      expect(parameter.min !== undefined && parameter.max !== undefined).toBe(numeric);
      if (numeric) {
        expect(parameter.default).toBeGreaterThanOrEqual(parameter.min ?? NaN);
        expect(parameter.default).toBeLessThanOrEqual(parameter.max ?? NaN);
        expect(postgresParameterProblem(name, String(parameter.default))).toBeUndefined();
      }
    },
  );

  test("covers the common tuning parameters", () => {
    for (const name of [
      "shared_buffers",
      "effective_cache_size",
      "work_mem",
      "maintenance_work_mem",
      "max_connections",
      "wal_buffers",
      "max_wal_size",
      "min_wal_size",
      "checkpoint_timeout",
      "checkpoint_completion_target",
      "random_page_cost",
      "effective_io_concurrency",
      "max_worker_processes",
      "max_parallel_workers",
      "max_parallel_workers_per_gather",
      "default_statistics_target",
      "log_min_duration_statement",
      "idle_in_transaction_session_timeout",
      "statement_timeout",
    ]) {
      expect(POSTGRES_PARAMETERS[name]).toBeDefined();
    }
    expect(Object.keys(POSTGRES_PARAMETERS).filter((name) => name.startsWith("autovacuum")).length).toBeGreaterThanOrEqual(5);
  });
});

describe("the parameters CloudNativePG manages", () => {
  test("match FixedConfigurationParameters @ v1.30.0 (65 entries) plus allow_alter_system", () => {
    expect(Object.keys(CNPG_MANAGED_PARAMETERS)).toHaveLength(66);
    expect(CNPG_MANAGED_PARAMETERS.port.treatment).toBe("fixed");
    expect(CNPG_MANAGED_PARAMETERS.archive_command.treatment).toBe("fixed");
    expect(CNPG_MANAGED_PARAMETERS.temp_tablespaces.treatment).toBe("fixed");
    expect(CNPG_MANAGED_PARAMETERS.synchronized_standby_slots.treatment).toBe("fixed");
    expect(CNPG_MANAGED_PARAMETERS["pg_failover_slots.primary_dsn"].treatment).toBe("fixed");
    expect(CNPG_MANAGED_PARAMETERS.listen_addresses.treatment).toBe("blocked");
    expect(CNPG_MANAGED_PARAMETERS.logging_collector.treatment).toBe("blocked");
    expect(CNPG_MANAGED_PARAMETERS.recovery_min_apply_delay.treatment).toBe("blocked");
  });

  test("each says why", () => {
    for (const managed of Object.values(CNPG_MANAGED_PARAMETERS)) expect(managed.why.length).toBeGreaterThan(10);
  });
});

describe("postgresParameterProblem", () => {
  test.each([
    ["shared_buffers", "256MB"],
    ["shared_buffers", "32768"],
    ["shared_buffers", "1.5GB"],
    ["effective_cache_size", "3GB"],
    ["work_mem", "1500MB"],
    ["maintenance_work_mem", "64kB"],
    ["max_wal_size", "2GB"],
    ["wal_buffers", "-1"],
    ["wal_buffers", "16MB"],
    ["checkpoint_timeout", "15min"],
    ["checkpoint_timeout", "30s"],
    ["checkpoint_timeout", "1d"],
    ["checkpoint_completion_target", "0.9"],
    ["random_page_cost", "1.1"],
    ["max_connections", "200"],
    ["max_connections", "1e3"],
    ["statement_timeout", "30s"],
    ["statement_timeout", "0"],
    ["log_min_duration_statement", "-1"],
    ["log_min_duration_statement", "250ms"],
    ["autovacuum_vacuum_cost_delay", "0.5"],
    ["autovacuum_vacuum_scale_factor", "0.05"],
    ["jit", "off"],
    ["jit", "TRUE"],
    ["log_statement", "DDL"],
  ])("%s %j is accepted", (name, value) => {
    expect(postgresParameterProblem(name, value)).toBeUndefined();
  });

  test("fails when the name is unknown, and suggests the closest", () => {
    expect(postgresParameterProblem("shared_bufers", "1GB")).toEqual({
      message: "shared_bufers is not a PostgreSQL parameter the platform lets an environment set",
      fix: "did you mean shared_buffers?",
    });
    expect(postgresParameterProblem("Work_Mem", "4MB")?.fix).toBe("did you mean work_mem?");
    expect(postgresParameterProblem("huge_pages", "on")?.fix).toBe(
      "use one of POSTGRES_PARAMETERS in core/postgres-parameters.ts, or add it there with its PostgreSQL 18 range",
    );
  });

  test("fails when CloudNativePG sets the parameter, and says why", () => {
    expect(postgresParameterProblem("port", "5433")).toEqual({
      message: "port is set by the CloudNativePG operator: the operator's services and probes connect on 5432",
      fix: "remove it",
    });
    expect(postgresParameterProblem("shared_preload_libraries", "pg_stat_statements")?.fix).toBe(
      "remove it; list extra libraries in spec.postgresql.shared_preload_libraries",
    );
    expect(postgresParameterProblem("log_destination", "stderr")?.message).toBe(
      "log_destination is blocked by CloudNativePG: the instance manager collects PostgreSQL's logs as JSON on stdout",
    );
    expect(postgresParameterProblem("Port", "5432")?.message).toMatch(/^Port is set by the CloudNativePG operator/);
  });

  test("fails when a memory unit is misspelt, and writes it right", () => {
    expect(postgresParameterProblem("shared_buffers", "256Mi")).toEqual({
      message: `shared_buffers "256Mi" has the unit "Mi", which is not one of PostgreSQL's memory units (B, kB, MB, GB, TB; case-sensitive)`,
      fix: 'write "256MB"',
    });
    expect(postgresParameterProblem("work_mem", "64mb")?.fix).toBe('write "64MB"');
    expect(postgresParameterProblem("work_mem", "64KB")?.fix).toBe('write "64kB"');
    expect(postgresParameterProblem("max_wal_size", "1GiB")?.fix).toBe('write "1GB"');
    expect(postgresParameterProblem("max_wal_size", "1 G")?.fix).toBe('write "1 GB"');
  });

  test("fails when a time unit is misspelt, and writes it right", () => {
    expect(postgresParameterProblem("checkpoint_timeout", "5m")).toEqual({
      message: `checkpoint_timeout "5m" has the unit "m", which is not one of PostgreSQL's time units (us, ms, s, min, h, d; case-sensitive)`,
      fix: 'write "5min"',
    });
    expect(postgresParameterProblem("statement_timeout", "30sec")?.fix).toBe('write "30s"');
    expect(postgresParameterProblem("statement_timeout", "2hours")?.fix).toBe('write "2h"');
    expect(postgresParameterProblem("statement_timeout", "1D")?.fix).toBe('write "1d"');
  });

  test("fails when the unit belongs to the other kind", () => {
    expect(postgresParameterProblem("shared_buffers", "5min")).toEqual({
      message: `shared_buffers "5min" has the unit "min", which is not one of PostgreSQL's memory units (B, kB, MB, GB, TB; case-sensitive)`,
      fix: 'write a number with one of the units B, kB, MB, GB, TB, e.g. "256MB"; a bare number counts 8kB pages',
    });
    expect(postgresParameterProblem("statement_timeout", "1GB")?.fix).toBe(
      'write a number with one of the units us, ms, s, min, h, d, e.g. "5min"; a bare number counts milliseconds',
    );
  });

  test("fails when a plain-number parameter has a unit", () => {
    expect(postgresParameterProblem("max_connections", "200k")).toEqual({
      message: 'max_connections "200k" has a unit, but max_connections takes a plain number',
      fix: "write the number alone",
    });
    expect(postgresParameterProblem("random_page_cost", "1.1x")?.message).toBe(
      'random_page_cost "1.1x" has a unit, but random_page_cost takes a plain number',
    );
  });

  test("fails when the value is not a number, boolean or enum value", () => {
    expect(postgresParameterProblem("shared_buffers", "lots")).toEqual({
      message: 'shared_buffers "lots" is not a memory size',
      fix: 'write a number with one of the units B, kB, MB, GB, TB, e.g. "256MB"; a bare number counts 8kB pages',
    });
    expect(postgresParameterProblem("statement_timeout", "soon")?.message).toBe('statement_timeout "soon" is not a duration');
    expect(postgresParameterProblem("max_connections", "many")).toEqual({
      message: 'max_connections "many" is not a whole number',
      fix: "write a whole number",
    });
    expect(postgresParameterProblem("random_page_cost", "cheap")).toEqual({
      message: 'random_page_cost "cheap" is not a number',
      fix: 'write a number, e.g. "0.9"',
    });
    expect(postgresParameterProblem("jit", "maybe")).toEqual({ message: 'jit "maybe" is not a boolean', fix: "use on or off" });
    expect(postgresParameterProblem("log_statement", "everything")).toEqual({
      message: 'log_statement "everything" is not one of its values',
      fix: "use one of none, ddl, mod, all",
    });
  });

  test("fails when a leading zero makes PostgreSQL read the number as octal", () => {
    expect(postgresParameterProblem("shared_buffers", "010")).toEqual({
      message: 'shared_buffers "010" has a leading zero, so PostgreSQL reads it as octal: 64kB (8 pages of 8kB)',
      fix: "drop the leading zero",
    });
    expect(postgresParameterProblem("max_connections", "0100")?.message).toBe(
      'max_connections "0100" has a leading zero, so PostgreSQL reads it as octal: 64',
    );
    expect(postgresParameterProblem("max_connections", "09")?.message).toBe(
      'max_connections "09" has a leading zero, so PostgreSQL reads it as octal, where 8 and 9 are not digits',
    );
    // Leading zeros that do not change the value, and hexadecimal, are fine.
    expect(postgresParameterProblem("max_connections", "07")).toBeUndefined();
    expect(postgresParameterProblem("max_connections", "0x64")).toBeUndefined();
    expect(postgresParameterProblem("checkpoint_completion_target", "0.9")).toBeUndefined();
  });

  test("fails when a whole-number parameter is given a fraction PostgreSQL would round", () => {
    expect(postgresParameterProblem("max_connections", "1.5")).toEqual({
      message: 'max_connections "1.5" is not a whole number; PostgreSQL would round it to 2',
      fix: "write a whole number",
    });
  });

  test("fails when out of range, and says the range in the parameter's unit", () => {
    expect(postgresParameterProblem("shared_buffers", "64kB")).toEqual({
      message: 'shared_buffers "64kB" is 64kB (8 pages of 8kB), below its minimum of 128kB (16 pages of 8kB)',
      fix: "use 128kB to just under 8TB, that is 16 to 1073741823 pages of 8kB",
    });
    expect(postgresParameterProblem("checkpoint_timeout", "10s")).toEqual({
      message: 'checkpoint_timeout "10s" is 10s, below its minimum of 30s',
      fix: "use 30s to 1d",
    });
    expect(postgresParameterProblem("checkpoint_timeout", "2d")?.message).toBe('checkpoint_timeout "2d" is 2d, above its maximum of 1d');
    expect(postgresParameterProblem("work_mem", "32kB")).toEqual({
      message: 'work_mem "32kB" is 32kB, below its minimum of 64kB',
      fix: "use 64kB to just under 2TB",
    });
    expect(postgresParameterProblem("max_connections", "0")).toEqual({
      message: 'max_connections "0" is 0, below its minimum of 1',
      fix: "use 1 to 262143",
    });
    expect(postgresParameterProblem("max_connections", "262144")?.message).toBe(
      'max_connections "262144" is 262144, above its maximum of 262143',
    );
    expect(postgresParameterProblem("checkpoint_completion_target", "1.5")).toEqual({
      message: 'checkpoint_completion_target "1.5" is 1.5, above its maximum of 1',
      fix: "use 0 to 1",
    });
    expect(postgresParameterProblem("random_page_cost", "-1")).toEqual({
      message: 'random_page_cost "-1" is -1, below its minimum of 0',
      fix: "use 0 or more",
    });
    expect(postgresParameterProblem("random_page_cost", "inf")?.message).toMatch(/above its maximum of the largest double$/);
  });

  test("the range names the special value", () => {
    expect(postgresParameterProblem("statement_timeout", "-1")?.fix).toBe("use 1ms to about 24.9d, or 0 to never time out");
    expect(postgresParameterProblem("log_min_duration_statement", "-2")?.fix).toBe(
      "use 0 to about 24.9d, or -1 to log no statement for its duration",
    );
    expect(postgresParameterProblem("autovacuum_vacuum_cost_delay", "200ms")).toEqual({
      message: 'autovacuum_vacuum_cost_delay "200ms" is 200ms, above its maximum of 100ms',
      fix: "use 0 to 100ms, or -1 to use vacuum_cost_delay",
    });
  });

  test("boundaries: the minimum and maximum are allowed, one past them is not", () => {
    expect(postgresParameterProblem("shared_buffers", "128kB")).toBeUndefined();
    expect(postgresParameterProblem("shared_buffers", "120kB")).toBeDefined();
    expect(postgresParameterProblem("effective_io_concurrency", "1000")).toBeUndefined();
    expect(postgresParameterProblem("effective_io_concurrency", "1001")).toBeDefined();
    expect(postgresParameterProblem("checkpoint_timeout", "86400")).toBeUndefined();
    expect(postgresParameterProblem("checkpoint_timeout", "86401")).toBeDefined();
    expect(postgresParameterProblem("work_mem", "2147483647")).toBeUndefined();
    expect(postgresParameterProblem("work_mem", "2147483648")).toEqual({
      message: 'work_mem "2147483648" is beyond PostgreSQL\'s integer range',
      fix: "use 64kB to just under 2TB",
    });
  });

  test("fails when CloudNativePG's webhook would refuse a shared_buffers PostgreSQL reads", () => {
    expect(postgresParameterProblem("shared_buffers", "0x1000")).toEqual({
      message: `shared_buffers "0x1000" is refused by CloudNativePG's webhook, which reads shared_buffers only as a whole number or a number with B, kB, MB, GB or TB`,
      fix: 'write it like "256MB" or "32768"',
    });
    expect(postgresParameterProblem("shared_buffers", "1e4")).toBeDefined();
    expect(postgresParameterProblem("shared_buffers", "256MB ")).toBeDefined();
  });
});

describe("cnpgAcceptsSharedBuffers (cluster_webhook.go @ v1.30.0 parsePostgresQuantityValue)", () => {
  test.each(["32768", "+32768", "256MB", "1.5GB", "1kB", "8192B", " 64 MB", "1TB"])("accepts %j", (value) => {
    expect(cnpgAcceptsSharedBuffers(value)).toBe(true);
  });

  test.each(["0x1000", "1e4", "256MB ", "256Mi", "256mB", "1GiB", ""])("refuses %j", (value) => {
    expect(cnpgAcceptsSharedBuffers(value)).toBe(false);
  });
});

describe("postgresBoolean (PostgreSQL's parse_bool)", () => {
  test.each([
    ["on", true],
    ["off", false],
    ["of", false],
    ["true", true],
    ["TR", true],
    ["t", true],
    ["false", false],
    ["f", false],
    ["yes", true],
    ["y", true],
    ["no", false],
    ["n", false],
    ["1", true],
    ["0", false],
    ["ON", true],
  ] as const)("%j is %s", (value, expected) => {
    expect(postgresBoolean(value)).toBe(expected);
  });

  // Each checked against PostgreSQL 15: `parameter "jit" requires a Boolean value`.
  test.each(["o", "onn", "truex", "2", "", " on", "on ", "enabled"])("fails when %j", (value) => {
    expect(postgresBoolean(value)).toBeUndefined();
  });
});

describe("postgresParameterProblem's fixes", () => {
  // A fix is printed inside "(got …; <fix>)": parentheses in it would nest.
  test("hold no parentheses, whatever the parameter and value", () => {
    const names = [...Object.keys(POSTGRES_PARAMETERS), ...Object.keys(CNPG_MANAGED_PARAMETERS), "shared_bufers", "no_such_thing"];
    const values = ["lots", "-99999999999", "99999999999", "-2", "1 parsec", "08", "1.5"];
    const nested = names.flatMap((name) =>
      values.map((value) => `${name} ${value}: ${postgresParameterProblem(name, value)?.fix ?? ""}`).filter((line) => /[()]/.test(line)),
    );
    expect(nested).toEqual([]);
  });
});
