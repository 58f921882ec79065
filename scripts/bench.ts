/**
 * `npm run bench`: wall time and peak memory of the project's synth against the stock
 * cdktf set-up (`cdktf synth` running `npx ts-node main.ts`), the cost of one more
 * environment, and the test suite. Contenders alternate within each round so that a
 * slow moment of the machine hits all of them alike. Prints Markdown, writes JSON.
 * `npm run bench -- --help` lists the options.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  addTreeMembers,
  BENCH_BLOCK_BEGIN,
  BENCH_BLOCK_END,
  BENCH_DOC,
  BenchOptions,
  expandNpmRun,
  formatMegabytes,
  formatSeconds,
  leastSquares,
  markdownTable,
  parseArgs,
  parseProcStat,
  parseProcStatus,
  ProcStat,
  replaceBetween,
  RunSample,
  summarize,
  Summary,
  USAGE,
} from "./bench-lib";

const ROOT = path.resolve(__dirname, "..");
const BENCH_DIR = path.join(ROOT, ".bench");
const SAMPLE_INTERVAL_MS = 20;
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** The issue's targets, for a 2-core machine. */
const TARGETS = {
  synthMedianMs: 1500,
  synthPeakBytes: 300 * 1024 * 1024,
  stockRatio: 5,
  perEnvironmentMs: 50,
  testMedianMs: 20_000,
};

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

// What `npm run` gives a script: local bins on the PATH. Terraform's and cdktf's
// check-ins and the CLI's plugin cache are turned off so every run is offline and alike.
const BASE_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  CHECKPOINT_DISABLE: "1",
  DISABLE_VERSION_CHECK: "1",
  CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
  FORCE_COLOR: "0",
};
delete BASE_ENV.CDKTF_OUTDIR;

type Group = "synth" | "tests";

interface Contender {
  readonly id: string;
  readonly group: Group;
  /** What a user types. */
  readonly label: string;
  /** What the measured wall time includes. */
  readonly includes: string;
  /**
   * Shell command; `outdir` is a fresh, not yet existing directory for cdktf's output,
   * also passed as CDKTF_OUTDIR to contenders that synthesize.
   */
  readonly command: (outdir: string) => string;
  /** Stack names every run must write, checked after each run; none for tests. */
  readonly stacks?: readonly string[];
  /** Environment count of a generated program. */
  readonly environments?: number;
}

interface Measured {
  readonly contender: Contender;
  readonly samples: RunSample[];
  /** Whether the stacks' cdk.tf.json match the project's own synth byte for byte. */
  identicalToProject?: boolean;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const options = parseArgs(argv);
  if (!fs.existsSync("/proc/self/status")) throw new Error("the benchmark samples memory from /proc: it runs on Linux only");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-"));
  try {
    await bench(options, tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function bench(options: BenchOptions, tmp: string): Promise<void> {
  const atStart = machineInfo();
  log(`machine: ${describeMachine(atStart)}`);

  // Untimed preparation: the bundle, the reference output, the generated programs.
  const reference = path.join(tmp, "reference");
  await mustRun("node scripts/build.mjs", BASE_ENV);
  await mustRun("node dist/main.js", { ...BASE_ENV, CDKTF_OUTDIR: reference });
  const stacks = listStacks(reference);
  if (stacks.length === 0) throw new Error("node dist/main.js wrote no stack: nothing to measure");
  const program = describeProgram(reference, stacks);
  log(`program: ${stacks.length} stacks (${stacks.join(", ")}), ${program.resources} resources`);
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  for (const count of options.envs) await mustRun(`node scripts/build.mjs ${generateProgram(count)} ${bundleOf(count)}`, BASE_ENV);

  const synth = synthContenders(options, stacks);
  const tests = options.tests ? testContenders() : [];
  const measured = new Map<string, Measured>([...synth, ...tests].map((c) => [c.id, { contender: c, samples: [] }]));

  await rounds(synth, options.warmup, options.runs, tmp, measured, reference);
  await rounds(tests, options.warmup, options.testRuns, tmp, measured, reference);

  const machine: MachineInfo = { ...atStart, loadAverageAtEnd: loadAverage() };
  const results = [...measured.values()];
  const analysis = analyse(program, results);
  const markdown = renderMarkdown(options, machine, program, results, analysis);
  console.log(markdown);
  const jsonPath = path.resolve(ROOT, options.json);
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, `${JSON.stringify(buildJson(options, machine, program, results, analysis), null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, jsonPath)}`);
  if (options.readme) {
    const page = path.join(ROOT, BENCH_DOC);
    fs.writeFileSync(page, replaceBetween(fs.readFileSync(page, "utf8"), BENCH_BLOCK_BEGIN, BENCH_BLOCK_END, markdown));
    log(`updated ${BENCH_DOC}`);
  }
}

function synthContenders(options: BenchOptions, stacks: readonly string[]): Contender[] {
  const contenders: Contender[] = [
    {
      id: "synth",
      group: "synth",
      label: pkg.scripts.synth,
      includes: "`npm run synth` without npm's start-up: esbuild bundle of main.ts, then the synth of every stack",
      command: () => pkg.scripts.synth,
      stacks,
    },
    {
      id: "synth-npm",
      group: "synth",
      label: "npm run synth",
      includes: "the same through npm, whose own start-up is included: what a user waits for",
      command: () => "npm run -s synth",
      stacks,
    },
    {
      id: "run",
      group: "synth",
      label: "node dist/main.js",
      includes: "the prebuilt bundle only: the synth itself, without the esbuild step",
      command: () => "node dist/main.js",
      stacks,
    },
    {
      id: "cdktf-project",
      group: "synth",
      label: "cdktf synth",
      includes: "cdktf CLI running the project's app from cdktf.json (bundle, then run)",
      command: (outdir) => `cdktf synth --output ${quote(outdir)}`,
      stacks,
    },
  ];
  if (options.stock) {
    contenders.push(
      {
        id: "stock",
        group: "synth",
        label: 'cdktf synth --app "npx ts-node main.ts"',
        includes: "the stock cdktf TypeScript set-up: cdktf CLI, npx, ts-node type-checking and compiling main.ts",
        command: (outdir) => `cdktf synth --app ${quote("npx ts-node main.ts")} --output ${quote(outdir)}`,
        stacks,
      },
      {
        id: "stock-app",
        group: "synth",
        label: "npx ts-node main.ts",
        includes: "the stock app alone, without the cdktf CLI",
        command: () => "npx ts-node main.ts",
        stacks,
      },
    );
  }
  for (const count of options.envs) {
    contenders.push({
      id: `envs-${count}`,
      group: "synth",
      label: `${count} environments`,
      includes: `prebuilt bundle of a generated program of ${count} copies of dev (${path.relative(ROOT, bundleOf(count))})`,
      command: () => `node ${quote(path.relative(ROOT, bundleOf(count)))}`,
      stacks: environmentNames(count),
      environments: count,
    });
  }
  return contenders;
}

function testContenders(): Contender[] {
  const test = expandNpmRun(pkg.scripts.test, pkg.scripts);
  return [
    {
      id: "test",
      group: "tests",
      label: test,
      includes: "`npm test` without npm's start-up: type check once (incremental), then the whole jest suite",
      command: () => test,
    },
    {
      id: "jest",
      group: "tests",
      label: "npx jest",
      includes: "the jest suite alone (SWC transform, no type check)",
      command: () => "jest",
    },
  ];
}

/** Warm-up rounds (discarded), then measured rounds; each round runs every contender once, in order. */
async function rounds(
  contenders: readonly Contender[],
  warmup: number,
  runs: number,
  tmp: string,
  measured: Map<string, Measured>,
  reference: string,
): Promise<void> {
  if (contenders.length === 0) return;
  for (let round = 1 - warmup; round <= runs; round++) {
    const results: string[] = [];
    for (const contender of contenders) {
      const outdir = path.join(tmp, `${contender.id}-${round + warmup}`);
      const sample = await measure(contender, outdir);
      const entry = measured.get(contender.id);
      if (entry === undefined) throw new Error(`unknown contender ${contender.id}`);
      if (contender.stacks !== undefined && contender.environments === undefined && entry.identicalToProject === undefined) {
        entry.identicalToProject = sameOutput(reference, outdir, contender.stacks);
        if (!entry.identicalToProject) log(`warning: ${contender.label} wrote other Terraform JSON than the project's synth`);
      }
      fs.rmSync(outdir, { recursive: true, force: true });
      if (round > 0) entry.samples.push(sample);
      results.push(`${contender.id} ${formatSeconds(sample.wallMs)} ${formatMegabytes(sample.peakRssBytes)}`);
    }
    log(`${round > 0 ? `round ${round}/${runs}` : "warm-up"}: ${results.join(", ")}`);
  }
}

async function measure(contender: Contender, outdir: string): Promise<RunSample> {
  const env = contender.stacks === undefined ? BASE_ENV : { ...BASE_ENV, CDKTF_OUTDIR: outdir };
  const run = await runSampled(contender.command(outdir), env);
  if (run.code !== 0) {
    throw new Error(`${contender.label} failed (exit ${run.code}): ${contender.command(outdir)}\n${run.output}`);
  }
  if (contender.stacks !== undefined) {
    const written = listStacks(outdir);
    if (written.join(",") !== [...contender.stacks].sort().join(",")) {
      throw new Error(`${contender.label} wrote stacks [${written.join(", ")}], expected [${contender.stacks.join(", ")}]\n${run.output}`);
    }
  }
  return run.sample;
}

interface SampledRun {
  readonly code: number | null;
  readonly sample: RunSample;
  /** The end of stdout and stderr, for error messages. */
  readonly output: string;
}

/**
 * Runs `command` under `sh -c` as the leader of a new session and, every 20 ms, sums
 * the resident memory (VmRSS) of every process of its tree, found through /proc. Wall
 * time ends when the tree's output closes, so children that outlive the shell count.
 */
function runSampled(command: string, env: NodeJS.ProcessEnv): Promise<SampledRun> {
  return new Promise((resolve, reject) => {
    const members = new Set<number>();
    const hwm = new Map<number, number>();
    let peakRss = 0;
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    const start = process.hrtime.bigint();
    const child = spawn("sh", ["-c", command], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const root = child.pid;
    if (root === undefined) {
      reject(new Error(`could not start ${command}`));
      return;
    }
    // Processes seen outside the tree are not read again while they live: a sample then
    // takes about 0.2 ms of CPU from the contenders instead of 1.5 ms (72 processes here).
    const outside = new Set<number>();
    const sample = (): void => {
      const listed = new Set<number>();
      const fresh: ProcStat[] = [];
      for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        const pid = Number(name);
        listed.add(pid);
        if (members.has(pid) || outside.has(pid)) continue;
        const stat = readProcFile(pid, "stat");
        if (stat !== undefined) fresh.push(parseProcStat(stat));
      }
      for (const pid of outside) if (!listed.has(pid)) outside.delete(pid);
      addTreeMembers(members, root, fresh);
      for (const proc of fresh) if (!members.has(proc.pid)) outside.add(proc.pid);
      let rss = 0;
      for (const pid of members) {
        const status = readProcFile(pid, "status");
        if (status === undefined) continue;
        const memory = parseProcStatus(status);
        rss += memory.rssBytes;
        hwm.set(pid, Math.max(hwm.get(pid) ?? 0, memory.hwmBytes));
      }
      peakRss = Math.max(peakRss, rss);
    };
    sample();
    const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
    const killer = setTimeout(() => process.kill(-root, "SIGKILL"), RUN_TIMEOUT_MS);
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(timer);
      clearTimeout(killer);
      const hwmSumBytes = [...hwm.values()].reduce((sum, bytes) => sum + bytes, 0);
      resolve({ code, output, sample: { wallMs, peakRssBytes: peakRss, hwmSumBytes } });
    });
  });
}

/** A /proc file of a process that may have exited meanwhile. */
function readProcFile(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

async function mustRun(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  const run = await runSampled(command, env);
  if (run.code !== 0) throw new Error(`${command} failed (exit ${run.code})\n${run.output}`);
}

function listStacks(outdir: string): string[] {
  const dir = path.join(outdir, "stacks");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function sameOutput(reference: string, outdir: string, stacks: readonly string[]): boolean {
  const json = (dir: string, stack: string): string => fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8");
  return stacks.every((stack) => json(reference, stack) === json(outdir, stack));
}

interface ProgramInfo {
  readonly stacks: readonly string[];
  readonly resources: number;
  readonly bundleBytes: number;
}

function describeProgram(outdir: string, stacks: readonly string[]): ProgramInfo {
  let resources = 0;
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    for (const ofType of Object.values(json.resource ?? {})) resources += Object.keys(ofType).length;
  }
  return { stacks, resources, bundleBytes: fs.statSync(path.join(ROOT, "dist", "main.js")).size };
}

function environmentNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `dev-${String(i + 1).padStart(3, "0")}`);
}

function bundleOf(count: number): string {
  return path.join(BENCH_DIR, `main-${count}.js`);
}

/** Writes .bench/main-<count>.ts: the real program, with `count` renamed copies of dev as its only environments. */
function generateProgram(count: number): string {
  const file = path.join(BENCH_DIR, `main-${count}.ts`);
  fs.writeFileSync(
    file,
    `// Generated by scripts/bench.ts: ${count} copies of dev, to measure what one more environment costs.
import { ENVIRONMENTS } from "../environments";
import { buildPlatformApp } from "../stacks/platform-app";

const dev = ENVIRONMENTS.find((source) => source.config.name === "dev");
if (dev === undefined) throw new Error("environments/ has no dev environment to copy");
const names: string[] = ${JSON.stringify(environmentNames(count))};
buildPlatformApp(names.map((name) => ({ file: \`.bench/\${name}\`, config: { ...dev.config, name } }))).synth();
`,
  );
  return path.relative(ROOT, file);
}

interface MachineInfo {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly npm: string;
  readonly terraform: string;
  readonly packages: Record<string, string>;
  readonly commit: string;
  /** 1, 5 and 15 minute load averages when the run started and ended: others' work on a shared machine shows here. */
  readonly loadAverage: readonly number[];
  readonly loadAverageAtEnd?: readonly number[];
}

function machineInfo(): MachineInfo {
  const packages: Record<string, string> = {};
  for (const name of ["cdktf", "cdktf-cli", "constructs", "esbuild", "ts-node", "typescript", "jest", "@swc/core"]) {
    const manifest = path.join(ROOT, "node_modules", name, "package.json");
    packages[name] = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version : "absent";
  }
  const terraform = tryOutput("terraform", ["version", "-json"]);
  const dirty = tryOutput("git", ["status", "--porcelain", "--untracked-files=no"]);
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: tryOutput("npm", ["--version"]) ?? "absent",
    terraform: terraform ? ((JSON.parse(terraform) as { terraform_version?: string }).terraform_version ?? "unknown") : "absent",
    packages,
    commit: `${tryOutput("git", ["rev-parse", "--short", "HEAD"]) ?? "unknown"}${dirty ? " (uncommitted changes)" : ""}`,
    loadAverage: loadAverage(),
  };
}

function loadAverage(): number[] {
  return os.loadavg().map((load) => Number(load.toFixed(2)));
}

function tryOutput(file: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(file, args, { cwd: ROOT, env: BASE_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

function describeMachine(m: MachineInfo): string {
  const gib = (m.memoryBytes / 1024 ** 3).toFixed(1);
  return (
    `${m.cpu}, ${m.cores} cores, ${gib} GiB, ${m.os}; Node ${m.node}, npm ${m.npm}, Terraform ${m.terraform}, ` +
    `cdktf ${m.packages.cdktf}, cdktf-cli ${m.packages["cdktf-cli"]}, ts-node ${m.packages["ts-node"]}, ` +
    `TypeScript ${m.packages.typescript}; commit ${m.commit}; load average ${m.loadAverage.join(" ")} at start${m.loadAverageAtEnd ? `, ${m.loadAverageAtEnd.join(" ")} at end` : ""}; ${m.date}`
  );
}

interface Analysis {
  readonly envPoints: readonly { readonly n: number; readonly summary: Summary }[];
  readonly wallFit: { slope: number; intercept: number };
  readonly memoryFit: { slope: number; intercept: number };
  /** Stock median over the project's synth median. */
  readonly ratio?: number;
  readonly targets: readonly Target[];
}

function analyse(program: ProgramInfo, results: readonly Measured[]): Analysis {
  const summaryOf = (id: string): Summary | undefined => {
    const result = results.find((r) => r.contender.id === id);
    return result && result.samples.length > 0 ? summarize(result.samples) : undefined;
  };
  const envPoints = results
    .filter((r) => r.contender.environments !== undefined)
    .map((r) => ({ n: r.contender.environments ?? 0, summary: summarize(r.samples) }));
  const wallFit = leastSquares(envPoints.map((p) => ({ x: p.n, y: p.summary.medianMs })));
  const memoryFit = leastSquares(envPoints.map((p) => ({ x: p.n, y: p.summary.maxPeakRssBytes })));
  const synth = summaryOf("synth");
  const stock = summaryOf("stock");
  const test = summaryOf("test");
  const ratio = synth && stock ? stock.medianMs / synth.medianMs : undefined;

  const targets: Target[] = [];
  if (synth) {
    targets.push(
      target(
        `\`npm run synth\` started directly, all ${program.stacks.length} stacks: median wall ≤ ${formatSeconds(TARGETS.synthMedianMs)}`,
        formatSeconds(synth.medianMs),
        synth.medianMs <= TARGETS.synthMedianMs,
      ),
      target(
        `\`npm run synth\` started directly: peak RSS (max of runs) ≤ ${formatMegabytes(TARGETS.synthPeakBytes)}`,
        formatMegabytes(synth.maxPeakRssBytes),
        synth.maxPeakRssBytes <= TARGETS.synthPeakBytes,
      ),
    );
  }
  if (ratio !== undefined) {
    targets.push(
      target(
        `≥ ${TARGETS.stockRatio}× faster than the stock set-up in the same run (median / median)`,
        `${ratio.toFixed(1)}×`,
        ratio >= TARGETS.stockRatio,
      ),
    );
  }
  targets.push(
    target(
      `each extra environment adds ≤ ${TARGETS.perEnvironmentMs} ms (slope of the median wall)`,
      `${wallFit.slope.toFixed(1)} ms`,
      wallFit.slope <= TARGETS.perEnvironmentMs,
    ),
  );
  if (test) {
    targets.push(
      target(
        `\`npm test\` started directly: median wall ≤ ${formatSeconds(TARGETS.testMedianMs)}`,
        formatSeconds(test.medianMs),
        test.medianMs <= TARGETS.testMedianMs,
      ),
    );
  }
  return { envPoints, wallFit, memoryFit, ratio, targets };
}

function renderMarkdown(
  options: BenchOptions,
  machine: MachineInfo,
  program: ProgramInfo,
  results: readonly Measured[],
  analysis: Analysis,
): string {
  const { envPoints, wallFit, memoryFit, ratio, targets } = analysis;
  const header = ["command", "what the time includes", "runs", "median", "min", "max", "peak RSS (max)"];
  const row = (r: Measured): string[] => {
    const s = summarize(r.samples);
    const differs = r.identicalToProject === false ? " **(its output differs from the project's synth)**" : "";
    return [
      `\`${r.contender.label}\``,
      r.contender.includes + differs,
      String(s.runs),
      formatSeconds(s.medianMs),
      formatSeconds(s.minMs),
      formatSeconds(s.maxMs),
      formatMegabytes(s.maxPeakRssBytes),
    ];
  };
  const synthRows = results.filter((r) => r.contender.group === "synth" && r.contender.environments === undefined);
  const envRows = results.filter((r) => r.contender.environments !== undefined);
  const testRows = results.filter((r) => r.contender.group === "tests");

  const lines = [
    `Synth of all ${program.stacks.length} stacks (${program.resources} resources), ${options.runs} measured rounds after ${options.warmup} warm-up, contenders alternating within each round:`,
    "",
    markdownTable(header, synthRows.map(row)),
    "",
    ratio !== undefined
      ? `Stock set-up / \`npm run synth\`: **${ratio.toFixed(1)}×** (median over median, same run).`
      : "The stock contenders were skipped (--no-stock).",
    "",
    "Cost of environments: generated programs of N copies of dev, prebuilt, in the same rounds:",
    "",
    markdownTable(header, envRows.map(row)),
    "",
    `Each extra environment adds **${wallFit.slope.toFixed(1)} ms** and ${(memoryFit.slope / 1024 / 1024).toFixed(2)} MB peak RSS ` +
      `(least-squares slope over N = ${envPoints.map((p) => p.n).join(", ")}; intercept ${formatSeconds(wallFit.intercept)}).`,
  ];
  if (testRows.length > 0) {
    lines.push(
      "",
      `Tests, ${options.testRuns} measured rounds after ${options.warmup} warm-up:`,
      "",
      markdownTable(header, testRows.map(row)),
    );
  }
  lines.push(
    "",
    markdownTable(
      ["target", "measured", "holds"],
      targets.map((t) => [t.target, t.measured, t.holds ? "yes" : "**no**"]),
    ),
    "",
    `Machine: ${describeMachine(machine)}.`,
    "",
    "Wall time: spawn to the close of the process tree's output, commands started with `sh -c`. " +
      `Peak RSS: the largest sum of VmRSS over the whole process tree (session and descendants), sampled from /proc every ${SAMPLE_INTERVAL_MS} ms.`,
  );
  return lines.join("\n");
}

function buildJson(
  options: BenchOptions,
  machine: MachineInfo,
  program: ProgramInfo,
  results: readonly Measured[],
  analysis: Analysis,
): unknown {
  return {
    schema: 1,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    options,
    machine,
    method: {
      rounds: "warm-up rounds are discarded, then every round runs each contender once, in the listed order",
      wall: "process.hrtime from spawn of `sh -c <command>` to the close of the tree's stdout/stderr",
      peakRss:
        `every ${SAMPLE_INTERVAL_MS} ms: the processes of the tree (the session the command leads, and every descendant by parent id) from /proc/*/stat, ` +
        "their VmRSS from /proc/<pid>/status summed; peakRssBytes is the largest sum seen. hwmSumBytes adds each process's own VmHWM: an upper bound, " +
        "since the processes need not peak together.",
      environment: {
        CHECKPOINT_DISABLE: "1",
        DISABLE_VERSION_CHECK: "1",
        CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
        PATH: "node_modules/.bin first, as npm run does",
      },
      outdir: "every synth writes into a fresh temporary directory (CDKTF_OUTDIR or --output), checked for the expected stacks and removed",
    },
    program,
    contenders: results.map((r) => ({
      id: r.contender.id,
      group: r.contender.group,
      label: r.contender.label,
      includes: r.contender.includes,
      command: r.contender.command("<outdir>"),
      environments: r.contender.environments,
      identicalToProject: r.identicalToProject,
      summary: summarize(r.samples),
      runs: r.samples,
    })),
    environments: {
      counts: analysis.envPoints.map((p) => p.n),
      perEnvironmentMs: analysis.wallFit.slope,
      interceptMs: analysis.wallFit.intercept,
      perEnvironmentPeakRssBytes: analysis.memoryFit.slope,
    },
    stockRatio: analysis.ratio,
    targets: analysis.targets,
  };
}

interface Target {
  readonly target: string;
  readonly measured: string;
  readonly holds: boolean;
}

function target(name: string, measured: string, holds: boolean): Target {
  return { target: name, measured, holds };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
