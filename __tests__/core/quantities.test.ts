import {
  barmanRetention,
  cpuCores,
  formatBytes,
  goDurationSeconds,
  kubernetesQuantity,
  memoryBytes,
  parsePostgresInteger,
  parsePostgresReal,
  postgresDurationMs,
  postgresMemoryKb,
  prometheusDurationSeconds,
  redisMemoryBytes,
} from "../../core/quantities";

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe("kubernetesQuantity", () => {
  test.each([
    ["512Mi", 512 * MiB],
    ["1.5Gi", 1.5 * GiB],
    ["1Ki", 1024],
    ["1Ti", 2 ** 40],
    ["1Pi", 2 ** 50],
    ["1Ei", 2 ** 60],
    ["250m", 0.25],
    ["1k", 1000],
    ["1M", 1e6],
    ["1G", 1e9],
    ["1T", 1e12],
    ["1P", 1e15],
    ["1E", 1e18],
    ["100u", 1e-4],
    ["5n", 5e-9],
    ["1e3", 1000],
    ["1E3", 1000],
    ["1e+3", 1000],
    ["12E-3", 0.012],
    ["-2k", -2000],
    ["+1", 1],
    ["0", 0],
    ["007", 7],
    ["1.", 1],
    [".5", 0.5],
    ["1.Gi", GiB],
    ["0.5Mi", 512 * 1024],
  ])("%s is %d", (value, expected) => {
    expect(kubernetesQuantity(value)).toBe(expected);
  });

  test("rounds a value finer than 1n up to 1n, as ParseQuantity does", () => {
    expect(kubernetesQuantity("0.1n")).toBe(1e-9);
    expect(kubernetesQuantity("-0.1n")).toBe(-1e-9);
    expect(kubernetesQuantity("1e-400")).toBe(1e-9);
    expect(kubernetesQuantity("0e999")).toBe(0);
  });

  test("caps a binary quantity at 2^63-1, Kubernetes' maxAllowed", () => {
    expect(kubernetesQuantity("16Ei")).toBe(2 ** 63 - 1);
    expect(kubernetesQuantity("7Ei")).toBe(7 * 2 ** 60);
  });

  test.each([
    ["", "it is empty"],
    ["Gi", "there is no number (Go's scanner reads it as 0; the CRD pattern refuses it)"],
    [".", "the number has no digit"],
    ["-", "the number has no digit"],
    ["1K", "kilo is a lower-case k, or Ki for 1024"],
    ["1KiB", "Kubernetes has no B"],
    ["1mi", "the binary suffix is Mi"],
    ["1e", "the exponent has no digits"],
    ["1e1.5", "the exponent is not an integer (strconv.ParseInt)"],
    ["1e3Ki", "an exponent and a suffix cannot be combined"],
    ["--1", "there are two signs"],
    ["1.5.5", "there are two points"],
    [" 1Gi", "there is a space"],
    ["1 Gi", "there is a space"],
    ["1e99999999999999999999", "the exponent does not fit int64"],
    ["1e400", "the value is not a finite number"],
  ])("fails when %j: %s", (value) => {
    expect(kubernetesQuantity(value)).toBeUndefined();
  });
});

describe("memoryBytes and cpuCores", () => {
  test("memory is in whole bytes, rounded up as Quantity.Value() rounds", () => {
    expect(memoryBytes("2Gi")).toBe(2 * GiB);
    expect(memoryBytes("1G")).toBe(1e9);
    expect(memoryBytes("256m")).toBe(1);
    expect(memoryBytes("1.5")).toBe(2);
    expect(memoryBytes("-1.5")).toBe(-2);
  });

  test("CPU is in cores, rounded up to a whole millicore as MilliValue() rounds", () => {
    expect(cpuCores("250m")).toBe(0.25);
    expect(cpuCores("2")).toBe(2);
    expect(cpuCores("1.5")).toBe(1.5);
    expect(cpuCores("100u")).toBe(0.001);
    expect(cpuCores("0")).toBe(0);
  });

  test("fails when the quantity is malformed", () => {
    expect(memoryBytes("2GB")).toBeUndefined();
    expect(cpuCores("250 m")).toBeUndefined();
    expect(cpuCores("1e400")).toBeUndefined();
  });
});

describe("formatBytes", () => {
  test.each([
    [0, "0"],
    [512, "512"],
    [1023, "1023"],
    [1024, "1Ki"],
    [1025, "1025"],
    [1536, "1.5Ki"],
    [256 * MiB, "256Mi"],
    [1.5 * GiB, "1.5Gi"],
    [1.25 * GiB, "1.25Gi"],
    [1500 * MiB, "1500Mi"],
    [-1.5 * GiB, "-1.5Gi"],
    [7e9, "about 6.52Gi"],
    [1e9, "about 953.67Mi"],
    [2 ** 60, "1Ei"],
  ])("%d bytes is %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  test("writes what memoryBytes reads back, when exact", () => {
    for (const text of ["1Ki", "1.5Gi", "256Mi", "1500Mi", "3Ti"]) expect(formatBytes(memoryBytes(text) ?? NaN)).toBe(text);
  });
});

describe("redisMemoryBytes", () => {
  test.each([
    ["100", 100],
    ["100b", 100],
    ["1k", 1000],
    ["1kb", 1024],
    ["1m", 1_000_000],
    ["1mb", MiB],
    ["2g", 2_000_000_000],
    ["2gb", 2 * GiB],
    // redis.conf: "units are case insensitive so 1GB 1Gb 1gB are all the same"
    ["2GB", 2 * GiB],
    ["2Gb", 2 * GiB],
    ["2gB", 2 * GiB],
    ["0", 0],
  ])("%s is %d bytes", (value, bytes) => {
    expect(redisMemoryBytes(value)).toBe(bytes);
  });

  test.each([
    ["", "empty"],
    ["mb", "a unit without digits (memtoull would read 0)"],
    ["-1gb", "negative"],
    ["+1gb", "signed"],
    ["1.5gb", "fractional"],
    ["1 gb", "spaced"],
    ["1tb", "Redis has no tb"],
    ["1gib", "Redis has no gib"],
    ["1Gi", "a Kubernetes unit"],
    ["18446744073709551616", "beyond unsigned 64 bits (memtoull wraps around)"],
    ["17179869184gb", "beyond unsigned 64 bits once multiplied"],
  ])("fails when %j is %s", (value) => {
    expect(redisMemoryBytes(value)).toBeUndefined();
  });
});

// Expected values below were read from the server: PostgreSQL 15's `postgres -C <name> -c <name>=<value>`
// (18's guc.c has the same unit tables; that its parse_int and parse_real read alike is assumed).
describe("parsePostgresInteger", () => {
  test.each([
    ["256MB", "8kB", 32768],
    ["200", "8kB", 200],
    ["1.5GB", "8kB", 196608],
    ["30.1GB", "8kB", 3945216],
    ["1e3", "8kB", 1000],
    [" 64 MB", "8kB", 8192],
    ["64MB ", "8kB", 8192],
    [".5GB", "8kB", 65536],
    ["+300", "8kB", 300],
    ["1TB", "8kB", 134217728],
    ["1000000kB", "8kB", 125000],
    ["12345B", "8kB", 2],
    ["1.e2", "8kB", 100],
    ["0.7MB", "kB", 717],
    ["1536B", "kB", 2],
    ["1537kB", "MB", 2],
    ["1.5min", "s", 90],
    ["90500ms", "s", 90],
    ["1500us", "ms", 2],
    ["1h ", "ms", 3600000],
    ["-5", undefined, -5],
  ] as const)("%j in %s is %d", (value, unit, expected) => {
    expect(parsePostgresInteger(value, unit)).toEqual({ value: expected });
  });

  test("reads 0x as hexadecimal and a leading 0 as octal, as strtol(…, 0) does", () => {
    expect(parsePostgresInteger("0x10")).toEqual({ value: 16 });
    expect(parsePostgresInteger("0X1f")).toEqual({ value: 31 });
    expect(parsePostgresInteger("010")).toEqual({ value: 8 });
    expect(parsePostgresInteger("0x1.8p4", "8kB")).toEqual({ value: 24 });
  });

  test("rounds half to even, as rint does", () => {
    expect(parsePostgresInteger("2.5")).toEqual({ value: 2 });
    expect(parsePostgresInteger("3.5")).toEqual({ value: 4 });
    expect(parsePostgresInteger("1.5")).toEqual({ value: 2 });
    expect(parsePostgresInteger("2500us", "ms")).toEqual({ value: 2 });
  });

  test("the 32-bit range is the limit: 2047MB of work_mem fits, 2TB does not", () => {
    expect(parsePostgresInteger("2047MB", "kB")).toEqual({ value: 2096128 });
    expect(parsePostgresInteger("2147483647", "kB")).toEqual({ value: 2147483647 });
    expect(parsePostgresInteger("2147483648", "kB")).toEqual({ error: "range" });
    expect(parsePostgresInteger("2TB", "kB")).toEqual({ error: "range" });
    expect(parsePostgresInteger("30d", "ms")).toEqual({ error: "range" });
    expect(parsePostgresInteger("99999999999999999999")).toEqual({ error: "range" });
  });

  test.each([
    ["", "empty"],
    ["abc", "not a number"],
    [" .5GB", "a space before a point (strtol stops at the space, and there is no digit)"],
    ["inf", "an infinity"],
    ["nan", "not a number"],
  ])("fails with a syntax error when %j is %s", (value) => {
    expect(parsePostgresInteger(value, "8kB")).toEqual({ error: "syntax" });
  });

  test.each([
    ["256Mb", "8kB", "Mb"],
    ["256MiB", "8kB", "MiB"],
    ["256 M B", "8kB", "M B"],
    ["1e", "8kB", "e"],
    ["08", "8kB", "8"],
    ["0x", "8kB", "x"],
    ["5m", "ms", "m"],
    ["1GB", "ms", "GB"],
    ["5min", "kB", "min"],
  ] as const)("fails with a unit error when %j has the unit %j", (value, unit, got) => {
    expect(parsePostgresInteger(value, unit)).toEqual({ error: "unit", unit: got });
  });

  test("fails when a unitless setting is given a unit", () => {
    expect(parsePostgresInteger("200k")).toEqual({ error: "unitless" });
  });
});

describe("parsePostgresReal", () => {
  test.each([
    ["1.1", undefined, 1.1],
    ["1e1", undefined, 10],
    [".5", undefined, 0.5],
    ["  2", undefined, 2],
    ["0x10", undefined, 16],
    ["0x1p-2", undefined, 0.25],
    ["2ms", "ms", 2],
    ["0.5", "ms", 0.5],
    ["1500us", "ms", 1.5],
    ["0.1s", "ms", 100],
  ] as const)("%j is %d", (value, unit, expected) => {
    expect(parsePostgresReal(value, unit)).toEqual({ value: expected });
  });

  test("an infinity parses (the range check refuses it later)", () => {
    expect(parsePostgresReal("inf")).toEqual({ value: Infinity });
    expect(parsePostgresReal("Infinity")).toEqual({ value: Infinity });
  });

  test("fails when malformed, NaN, or out of a double's range", () => {
    expect(parsePostgresReal("nan")).toEqual({ error: "syntax" });
    expect(parsePostgresReal("1e400")).toEqual({ error: "syntax" });
    expect(parsePostgresReal("1e-400")).toEqual({ error: "syntax" });
    expect(parsePostgresReal("x")).toEqual({ error: "syntax" });
    expect(parsePostgresReal("1.1x")).toEqual({ error: "unitless" });
    expect(parsePostgresReal("0x1P")).toEqual({ error: "unitless" });
    expect(parsePostgresReal("2m", "ms")).toEqual({ error: "unit", unit: "m" });
  });
});

describe("postgresMemoryKb and postgresDurationMs", () => {
  test("a bare number counts in the setting's base unit", () => {
    expect(postgresMemoryKb("1024", "8kB")).toBe(8192);
    expect(postgresMemoryKb("1024", "kB")).toBe(1024);
    expect(postgresMemoryKb("1024", "MB")).toBe(1024 * 1024);
    expect(postgresMemoryKb("2048", "B")).toBe(2);
    expect(postgresDurationMs("300", "s")).toBe(300_000);
    expect(postgresDurationMs("300", "ms")).toBe(300);
    expect(postgresDurationMs("1", "min")).toBe(60_000);
  });

  test("units are multiples of 1024 for memory and as named for time", () => {
    expect(postgresMemoryKb("256MB", "8kB")).toBe(256 * 1024);
    expect(postgresMemoryKb("1GB", "kB")).toBe(1024 * 1024);
    expect(postgresMemoryKb("1TB", "MB")).toBe(1024 ** 3);
    expect(postgresDurationMs("5min", "ms")).toBe(300_000);
    expect(postgresDurationMs("1d", "s")).toBe(86_400_000);
    expect(postgresDurationMs("2h", "min")).toBe(7_200_000);
  });

  test("a value is rounded to the base unit first: 1kB of shared_buffers is 0 pages", () => {
    expect(postgresMemoryKb("1kB", "8kB")).toBe(0);
    expect(postgresDurationMs("1500ms", "s")).toBe(2000);
  });

  test("fails when the unit is wrong or the value malformed", () => {
    expect(postgresMemoryKb("256Mi", "8kB")).toBeUndefined();
    expect(postgresMemoryKb("256mb", "kB")).toBeUndefined();
    expect(postgresMemoryKb("5min", "kB")).toBeUndefined();
    expect(postgresDurationMs("5m", "ms")).toBeUndefined();
    expect(postgresDurationMs("1GB", "s")).toBeUndefined();
    expect(postgresDurationMs("soon", "s")).toBeUndefined();
  });
});

describe("goDurationSeconds", () => {
  test.each([
    ["72h", 259200],
    ["1h30m", 5400],
    ["1.5s", 1.5],
    ["-2m", -120],
    ["+5s", 5],
    ["0", 0],
    ["300ms", 0.3],
    ["1us", 1e-6],
    ["1\u00b5s", 1e-6],
    ["1\u03bcs", 1e-6],
    ["1ns", 1e-9],
    [".5s", 0.5],
    ["1.s", 1],
    ["1h1h", 7200],
    ["2562047h", 9223369200],
  ])("%s is %d s", (value, seconds) => {
    expect(goDurationSeconds(value)).toBe(seconds);
  });

  test.each([
    ["", "empty"],
    ["1", "a number without a unit (only 0 may omit it)"],
    ["7d", "Go has no days"],
    ["1w", "Go has no weeks"],
    ["1H", "units are lower-case"],
    [".s", "the number has no digit"],
    ["1h ", "a trailing space"],
    [" 1h", "a leading space"],
    ["1.5.5s", "two points"],
    ["2562048h", "beyond Go's int64 nanoseconds"],
  ])("fails when %j: %s", (value) => {
    expect(goDurationSeconds(value)).toBeUndefined();
  });
});

describe("prometheusDurationSeconds", () => {
  test.each([
    ["15d", 15 * 86400],
    ["1d12h", 129600],
    ["30s", 30],
    ["500ms", 0.5],
    ["1y", 365 * 86400],
    ["1w", 7 * 86400],
    ["1y2w3d4h5m6s7ms", 365 * 86400 + 14 * 86400 + 3 * 86400 + 4 * 3600 + 5 * 60 + 6.007],
    ["0", 0],
    ["0s", 0],
    ["292y", 292 * 365 * 86400],
  ])("%s is %d s", (value, seconds) => {
    expect(prometheusDurationSeconds(value)).toBe(seconds);
  });

  test.each([
    ["", "empty"],
    ["12h1d", "units out of order"],
    ["1h1h", "a unit twice"],
    ["1.5h", "a fraction"],
    ["1", "a number without a unit"],
    ["1M", "months are not a unit"],
    ["-1h", "negative"],
    ["1h 30m", "a space"],
    ["293y", "beyond Go's int64 nanoseconds"],
  ])("fails when %j: %s", (value) => {
    expect(prometheusDurationSeconds(value)).toBeUndefined();
  });
});

describe("barmanRetention", () => {
  test("days, weeks, and months of 31 days (Barman's RecoveryWindowRetentionPolicy)", () => {
    expect(barmanRetention("7d")).toBe(7);
    expect(barmanRetention("1d")).toBe(1);
    expect(barmanRetention("4w")).toBe(28);
    expect(barmanRetention("3m")).toBe(93);
    expect(barmanRetention("60d")).toBe(60);
  });

  test.each([
    ["0d", "zero (the CRD pattern starts at 1)"],
    ["07d", "a leading zero"],
    ["7D", "an upper-case unit"],
    ["7", "no unit"],
    ["d", "no number"],
    ["1y", "years are not a unit"],
    ["7 d", "a space"],
    ["-7d", "negative"],
    ["99999999999999999999m", "too large"],
  ])("fails when %j: %s", (value) => {
    expect(barmanRetention(value)).toBeUndefined();
  });
});
