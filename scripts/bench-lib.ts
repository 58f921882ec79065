/**
 * Pure helpers of the benchmark (scripts/bench.ts): statistics, argument parsing,
 * /proc parsing and Markdown. Kept free of I/O so jest can pin them cheaply.
 */

/** One timed run of one contender. */
export interface RunSample {
  /** Wall time from spawn to the close of the process tree's output, in ms. */
  readonly wallMs: number;
  /** Largest sum of VmRSS over the process tree seen by the sampler, in bytes. */
  readonly peakRssBytes: number;
  /** Sum over the tree's processes of each one's own peak (VmHWM): an upper bound, in bytes. */
  readonly hwmSumBytes: number;
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianPeakRssBytes: number;
  readonly maxPeakRssBytes: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(samples: readonly RunSample[]): Summary {
  const walls = samples.map((sample) => sample.wallMs);
  const peaks = samples.map((sample) => sample.peakRssBytes);
  return {
    runs: samples.length,
    medianMs: median(walls),
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    medianPeakRssBytes: median(peaks),
    maxPeakRssBytes: Math.max(...peaks),
  };
}

/** Ordinary least squares y = intercept + slope * x. */
export function leastSquares(points: readonly { readonly x: number; readonly y: number }[]): {
  slope: number;
  intercept: number;
} {
  if (points.length < 2) throw new Error("a slope needs at least two points");
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (sxx === 0) throw new Error("a slope needs at least two different x values");
  const sxy = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

export interface BenchOptions {
  /** Measured rounds of the synth contenders. */
  readonly runs: number;
  /** Measured rounds of the test contenders (slower, so fewer). */
  readonly testRuns: number;
  /** Discarded rounds before measuring (caches, page cache, JIT-free start-up paths). */
  readonly warmup: number;
  /** Environment counts of the generated programs. */
  readonly envs: readonly number[];
  readonly stock: boolean;
  readonly tests: boolean;
  /** Rewrite the README's generated block with this run's tables. */
  readonly readme: boolean;
  readonly json: string;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  runs: 5,
  testRuns: 3,
  warmup: 1,
  envs: [4, 16, 64],
  stock: true,
  tests: true,
  readme: false,
  json: "bench/results.json",
};

/** `--quick`: enough to see a regression, not to publish. */
const QUICK: Partial<BenchOptions> = { runs: 3, testRuns: 1, envs: [4, 16] };

export const USAGE = `usage: npm run bench -- [options]
  --runs N        measured synth rounds (default ${DEFAULT_OPTIONS.runs})
  --test-runs N   measured rounds of npm test and jest (default ${DEFAULT_OPTIONS.testRuns})
  --warmup N      discarded rounds first (default ${DEFAULT_OPTIONS.warmup})
  --envs A,B,C    environment counts of the generated programs (default ${DEFAULT_OPTIONS.envs.join(",")})
  --quick         --runs ${QUICK.runs} --test-runs ${QUICK.testRuns} --envs ${QUICK.envs?.join(",")}
  --no-stock      skip the stock cdktf contenders (ts-node)
  --no-tests      skip npm test and jest
  --readme        replace the README's generated Performance block with this run's tables
  --json PATH     where to write the results (default ${DEFAULT_OPTIONS.json})`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  // --quick sets defaults that explicit flags still override, wherever they stand.
  let options: BenchOptions = argv.includes("--quick") ? { ...DEFAULT_OPTIONS, ...QUICK } : { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case "--quick":
        break;
      case "--runs":
        options = { ...options, runs: positiveInteger(flag, value()) };
        break;
      case "--test-runs":
        options = { ...options, testRuns: positiveInteger(flag, value()) };
        break;
      case "--warmup":
        options = { ...options, warmup: wholeNumber(flag, value()) };
        break;
      case "--envs": {
        const envs = value().split(",").map((part) => positiveInteger(flag, part.trim()));
        if (new Set(envs).size < 2) throw new Error(`--envs needs at least two different counts to fit a slope (got ${envs.join(",")})`);
        options = { ...options, envs: [...new Set(envs)].sort((a, b) => a - b) };
        break;
      }
      case "--no-stock":
        options = { ...options, stock: false };
        break;
      case "--no-tests":
        options = { ...options, tests: false };
        break;
      case "--readme":
        options = { ...options, readme: true };
        break;
      case "--json":
        options = { ...options, json: value() };
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return options;
}

function wholeNumber(flag: string, text: string): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number)) throw new Error(`${flag} needs a whole number (got ${JSON.stringify(text)})`);
  return number;
}

function positiveInteger(flag: string, text: string): number {
  const number = wholeNumber(flag, text);
  if (number < 1) throw new Error(`${flag} needs a number of at least 1 (got ${text})`);
  return number;
}

/** The fields of /proc/<pid>/stat the sampler needs. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly session: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields start after the last `)`. */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(")");
  const pid = Number(text.slice(0, text.indexOf(" ")));
  // After ") ": state ppid pgrp session …
  const fields = text.slice(close + 2).split(" ");
  return { pid, ppid: Number(fields[1]), session: Number(fields[3]) };
}

/** VmRSS and VmHWM of /proc/<pid>/status, in bytes (0 when absent, e.g. a zombie). */
export function parseProcStatus(text: string): { rssBytes: number; hwmBytes: number } {
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kib("VmRSS"), hwmBytes: kib("VmHWM") };
}

/**
 * Adds to `members` every process of the tree of `root`: its session (contenders are
 * started as session leaders) and every descendant by parent id, including those that
 * started a session of their own. Members stay members once seen, so a child orphaned
 * by its parent's exit is still counted.
 */
export function addTreeMembers(members: Set<number>, root: number, processes: readonly ProcStat[]): void {
  members.add(root);
  let added = true;
  while (added) {
    added = false;
    for (const proc of processes) {
      if (members.has(proc.pid)) continue;
      if (proc.session === root || members.has(proc.ppid)) {
        members.add(proc.pid);
        added = true;
      }
    }
  }
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string): string => cell.replace(/\|/g, "\\|");
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** Replaces the text between two marker lines, keeping the markers; throws when they are missing. */
export function replaceBetween(text: string, begin: string, end: string, body: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) throw new Error(`markers ${begin} … ${end} not found`);
  return `${text.slice(0, start + begin.length)}\n${body.trim()}\n${text.slice(stop)}`;
}

/**
 * Inlines `npm run [-s] <name>` inside a package script with that script's text, so a
 * contender runs what `npm run` would, without paying npm's own start-up again.
 */
export function expandNpmRun(script: string, scripts: Readonly<Record<string, string>>): string {
  return script.replace(/npm run (?:-s |--silent )?([\w:.-]+)/g, (whole, name: string) => {
    const inner = scripts[name];
    if (inner === undefined) throw new Error(`"${whole}" names no script in package.json`);
    return `(${expandNpmRun(inner, scripts)})`;
  });
}
