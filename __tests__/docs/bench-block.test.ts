/**
 * The generated block of docs/performance.md is a measurement, so a test cannot
 * regenerate it; `npm run bench -- --docs` writes it in the same run as
 * bench/results.json. This keeps the two from drifting apart: every number the
 * block shows is the one the committed results record.
 */
import * as fs from "fs";
import * as path from "path";
import {
  BENCH_BLOCK_BEGIN,
  BENCH_BLOCK_END,
  BENCH_DOC,
  formatMegabytes,
  formatSeconds,
  Headline,
  markdownTable,
  parseArgs,
  README_BLOCK_BEGIN,
  README_BLOCK_END,
  README_DOC,
  readmeSummary,
  Summary,
} from "../../scripts/bench-lib";

const ROOT = path.resolve(__dirname, "..", "..");

interface Results {
  readonly machine: { readonly commit: string; readonly date: string };
  readonly contenders: readonly {
    readonly label: string;
    readonly includes: string;
    readonly identicalToReference?: boolean;
    readonly summary: Summary;
  }[];
  readonly environments: { readonly perEnvironmentMs: number };
  readonly teams?: { readonly perTeamMs: number };
  readonly stockRatio?: number;
  readonly headline?: Headline;
  readonly targets: readonly { readonly target: string; readonly measured: string; readonly holds: boolean }[];
}

/** The text between the markers, or a message saying why there is none. */
function generatedBlock(page: string, begin = BENCH_BLOCK_BEGIN, end = BENCH_BLOCK_END, doc = BENCH_DOC): string {
  const start = page.indexOf(begin);
  const stop = page.indexOf(end, start);
  if (start < 0 || stop < 0) throw new Error(`${doc} has no "${begin}" … "${end}" block`);
  if (page.indexOf(begin, start + 1) >= 0) throw new Error(`${doc} has two bench blocks; npm run bench -- --docs rewrites the first`);
  return page.slice(start + begin.length, stop);
}

/** One table row as the benchmark renders it (the header is cut off). */
function row(cells: readonly string[]): string {
  return markdownTable(
    cells.map(() => ""),
    [cells],
  ).split("\n")[2];
}

describe(`the bench block of ${BENCH_DOC} (refresh: npm run bench -- --docs, and commit bench/results.json with it)`, () => {
  const page = fs.readFileSync(path.join(ROOT, BENCH_DOC), "utf8");
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, "bench", "results.json"), "utf8")) as Results;

  test("is where --docs (and its old name --readme) writes", () => {
    expect(parseArgs(["--docs"]).readme).toBe(true);
    expect(parseArgs(["--readme"]).readme).toBe(true);
    expect(() => generatedBlock(page)).not.toThrow();
  });

  test("shows every contender's numbers from bench/results.json", () => {
    const block = generatedBlock(page);
    expect(results.contenders.length).toBeGreaterThan(0);
    for (const contender of results.contenders) {
      const s = contender.summary;
      const differs = contender.identicalToReference === false ? " **(its output differs from the reference)**" : "";
      const cells = [
        `\`${contender.label}\``,
        contender.includes + differs,
        String(s.runs),
        formatSeconds(s.medianMs),
        formatSeconds(s.minMs),
        formatSeconds(s.maxMs),
        formatMegabytes(s.maxPeakRssBytes),
      ];
      expect(block).toContain(row(cells));
    }
  });

  test("shows the targets, the ratio, the cost per environment and the run's machine line from bench/results.json", () => {
    const block = generatedBlock(page);
    for (const target of results.targets) expect(block).toContain(row([target.target, target.measured, target.holds ? "yes" : "**no**"]));
    if (results.stockRatio !== undefined) expect(block).toContain(`**${results.stockRatio.toFixed(1)}×**`);
    expect(block).toContain(`Each extra environment adds **${results.environments.perEnvironmentMs.toFixed(1)} ms**`);
    // A run with the team contenders (all but --teams-less runs before they existed) shows the cost of a team.
    if (results.teams) expect(block).toContain(`Each extra team adds **${results.teams.perTeamMs.toFixed(1)} ms**`);
    expect(block).toContain(`; commit ${results.machine.commit}; `);
    expect(block).toContain(`; ${results.machine.date}.`);
  });

  test(`${README_DOC} quotes the headline numbers of the same run`, () => {
    const readme = fs.readFileSync(path.join(ROOT, README_DOC), "utf8");
    expect(results.headline).toBeDefined();
    if (results.headline !== undefined) {
      expect(generatedBlock(readme, README_BLOCK_BEGIN, README_BLOCK_END, README_DOC).trim()).toBe(readmeSummary(results.headline));
    }
  });
});
