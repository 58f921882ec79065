import {
  addTreeMembers,
  DEFAULT_OPTIONS,
  expandNpmRun,
  leastSquares,
  markdownTable,
  median,
  parseArgs,
  parseProcStat,
  parseProcStatus,
  readmeSummary,
  replaceBetween,
  rotate,
  summarize,
} from "../../scripts/bench-lib";

describe("benchmark statistics", () => {
  test("median of odd and even counts, whatever the order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow("median of no values");
  });

  test("summarize takes median, min and max of wall time and the worst peak", () => {
    const mb = 1024 * 1024;
    const summary = summarize([
      { wallMs: 300, peakRssBytes: 60 * mb, hwmSumBytes: 0 },
      { wallMs: 100, peakRssBytes: 80 * mb, hwmSumBytes: 0 },
      { wallMs: 200, peakRssBytes: 70 * mb, hwmSumBytes: 0 },
    ]);
    expect(summary).toEqual({ runs: 3, medianMs: 200, minMs: 100, maxMs: 300, medianPeakRssBytes: 70 * mb, maxPeakRssBytes: 80 * mb });
  });

  test("least squares recovers an exact line and fits noisy points", () => {
    expect(
      leastSquares([
        { x: 4, y: 300 },
        { x: 16, y: 540 },
        { x: 64, y: 1500 },
      ]),
    ).toEqual({ slope: 20, intercept: 220 });
    const fit = leastSquares([
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
    ]);
    expect(fit.slope).toBeCloseTo(0.5);
    expect(fit.intercept).toBeCloseTo(1);
  });

  test("fails when a slope cannot be fitted", () => {
    expect(() => leastSquares([{ x: 4, y: 1 }])).toThrow("at least two points");
    expect(() =>
      leastSquares([
        { x: 4, y: 1 },
        { x: 4, y: 2 },
      ]),
    ).toThrow("two different x values");
  });
});

describe("benchmark rounds", () => {
  test("each round starts one contender further along, wrapping around, so none always runs first", () => {
    expect(rotate(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(rotate(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(rotate(["a", "b", "c"], 5)).toEqual(["c", "a", "b"]);
    expect(rotate(["a", "b", "c"], -1)).toEqual(["c", "a", "b"]);
    expect(rotate([], 3)).toEqual([]);
  });
});

describe("benchmark options", () => {
  test("defaults, --quick, and explicit flags winning over --quick wherever they stand", () => {
    expect(parseArgs([])).toEqual(DEFAULT_OPTIONS);
    expect(parseArgs(["--quick"])).toMatchObject({ runs: 3, testRuns: 1, envs: [4, 16], teams: [0, 8] });
    expect(parseArgs(["--teams", "32,0,8"])).toMatchObject({ teams: [0, 8, 32] });
    expect(parseArgs(["--runs", "7", "--quick"])).toMatchObject({ runs: 7, testRuns: 1 });
    expect(parseArgs(["--envs", "64,4,16,4", "--no-stock", "--no-tests", "--readme"])).toMatchObject({
      envs: [4, 16, 64],
      stock: false,
      tests: false,
      readme: true,
    });
  });

  test("fails on unknown flags and bad numbers", () => {
    expect(() => parseArgs(["--fast"])).toThrow("unknown option --fast");
    expect(() => parseArgs(["--runs", "0"])).toThrow("--runs needs a number of at least 1");
    expect(() => parseArgs(["--runs", "2.5"])).toThrow("--runs needs a whole number");
    expect(() => parseArgs(["--runs"])).toThrow("--runs needs a value");
    expect(() => parseArgs(["--envs", "8,8"])).toThrow("at least two different counts");
    expect(() => parseArgs(["--teams", "4"])).toThrow("--teams needs at least two different counts");
    expect(() => parseArgs(["--teams", "0,-1"])).toThrow("--teams needs a whole number");
  });
});

describe("process tree sampling", () => {
  test("parses stat fields after a command name with spaces and parentheses", () => {
    expect(parseProcStat("4242 (node (main) x) S 4200 4242 4100 0 -1 4194560 12 0")).toEqual({ pid: 4242, ppid: 4200, session: 4100 });
  });

  test("reads VmRSS and VmHWM in bytes, 0 when a zombie has none", () => {
    expect(parseProcStatus("Name:\tnode\nVmHWM:\t  65000 kB\nVmRSS:\t  64000 kB\n")).toEqual({
      rssBytes: 64000 * 1024,
      hwmBytes: 65000 * 1024,
    });
    expect(parseProcStatus("Name:\tsh\nState:\tZ (zombie)\n")).toEqual({ rssBytes: 0, hwmBytes: 0 });
  });

  test("the tree is the session and every descendant, and members stay members", () => {
    const members = new Set<number>();
    addTreeMembers(members, 100, [
      { pid: 100, ppid: 1, session: 100 },
      { pid: 102, ppid: 101, session: 101 }, // grandchild in a session of its own (a pty)
      { pid: 101, ppid: 100, session: 100 },
      { pid: 200, ppid: 1, session: 200 }, // unrelated
      { pid: 300, ppid: 1, session: 100 }, // orphan of the session
    ]);
    expect([...members].sort()).toEqual([100, 101, 102, 300]);
    addTreeMembers(members, 100, [{ pid: 103, ppid: 1, session: 103 }]); // reparented to init before it was ever seen
    expect(members.has(103)).toBe(false);
    expect(members.has(101)).toBe(true);
  });
});

describe("benchmark output", () => {
  test("a Markdown table escapes pipes in cells", () => {
    expect(markdownTable(["command", "median"], [["a || b", "1.00 s"]])).toBe(
      "| command | median |\n| --- | --- |\n| a \\|\\| b | 1.00 s |",
    );
  });

  test("replaces the generated block and keeps its markers", () => {
    const text = "intro\n<!-- b -->\nold\n<!-- e -->\nrest\n";
    expect(replaceBetween(text, "<!-- b -->", "<!-- e -->", "new\n")).toBe("intro\n<!-- b -->\nnew\n<!-- e -->\nrest\n");
    expect(() => replaceBetween("no markers", "<!-- b -->", "<!-- e -->", "x")).toThrow("not found");
  });

  test("the README's sentence quotes the run's medians", () => {
    const headline = { synthMs: 612.3, emptyAppMs: 201, stockMs: 7350, editedMs: 905, perEnvironmentMs: 24.4 };
    expect(readmeSummary({ ...headline, testMs: 14_200 })).toBe(
      "`npm run synth` takes 0.61 s on a 2-core machine when nothing changed (an empty cdktf App alone: 0.20 s; the stock `cdktf synth` " +
        "with `ts-node`: 7.35 s), 0.91 s after an edit, and each further environment adds 24 ms. A cold `npm test` (a clean clone, " +
        "as CI runs it) takes 14.20 s. Medians of one `npm run bench` run ([docs/performance.md](docs/performance.md)).",
    );
    expect(readmeSummary(headline)).not.toContain("npm test");
    expect(readmeSummary({ ...headline, perTeamMs: 11.6 })).toContain("each further environment adds 24 ms, each team 12 ms.");
  });

  test("inlines nested npm run calls of package scripts", () => {
    const scripts = { typecheck: "tsc --noEmit", test: "npm run -s typecheck && jest" };
    expect(expandNpmRun(scripts.test, scripts)).toBe("(tsc --noEmit) && jest");
    expect(() => expandNpmRun("npm run lint", scripts)).toThrow('"npm run lint" names no script');
  });
});
