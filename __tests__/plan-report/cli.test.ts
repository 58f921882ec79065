import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OPTIONS, USAGE } from "../../tools/plan-report/args";
import { fixture } from "./support";
import { cli } from "./support-cli";

const ROOT = path.join(__dirname, "..", "..");

describe("exit status", () => {
  test("0 when nothing is deleted or replaced; the report goes to standard output", async () => {
    const run = await cli([`staging=${fixture("create-only.json")}`, `production=${fixture("no-changes.json")}`]);
    expect(run).toMatchObject({ status: 0, stderr: "" });
    expect(run.stdout.startsWith("<!-- plan-report -->\n## Terraform plan: ✏️ changes in `staging`")).toBe(true);
  });

  test("2 when any stack deletes or replaces, so CI can label the pull request", async () => {
    const run = await cli([`production=${fixture("no-changes.json")}`, `local=${fixture("docker-volumes.json")}`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("> [!CAUTION]");
  });

  test("--fail-on never: 0 even with deletes", async () => {
    expect((await cli(["--fail-on", "never", `local=${fixture("docker-volumes.json")}`])).status).toBe(0);
  });

  test("--fail-on drift: 2 with changes outside Terraform, 0 when code and reality agree", async () => {
    expect((await cli(["--fail-on", "drift", `production=${fixture("drift.json")}`])).status).toBe(2);
    expect((await cli(["--fail-on", "drift", `production=${fixture("no-changes.json")}`])).status).toBe(0);
  });

  test("--out writes the report to a file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
    try {
      const out = path.join(dir, "comment.md");
      const run = await cli(["--out", out, `dev=${fixture("every-action.json")}`]);
      expect(run).toMatchObject({ status: 2, stdout: "" });
      expect(fs.readFileSync(out, "utf8")).toMatch(/^<!-- plan-report -->\n## Terraform plan: 🛑 5 deletions or replacements in `dev`\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("--out that cannot be written", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("fails when its directory does not exist: 1, naming the path and what to do, before reading any plan", async () => {
      const out = path.join(dir, "plans", "x", "comment.md");
      // The plan file is missing too: the --out problem is found first, before any work.
      const run = await cli(["--out", out, `dev=${fixture("missing.json")}`]);
      expect(run).toEqual({
        status: 1,
        stdout: "",
        stderr: `plan-report: --out ${out}: directory ${path.join(
          dir,
          "plans",
          "x",
        )} does not exist; create it first or choose another path\n`,
      });
      expect(fs.existsSync(path.join(dir, "plans"))).toBe(false);
    });

    test("fails when its directory is a file", async () => {
      fs.writeFileSync(path.join(dir, "plans"), "");
      const out = path.join(dir, "plans", "comment.md");
      const run = await cli(["--out", out, `dev=${fixture("create-only.json")}`]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`plan-report: --out ${out}: ${path.join(dir, "plans")} is a file, not a directory; choose another path\n`);
    });

    test("fails when it is a directory", async () => {
      const run = await cli(["--out", dir, `dev=${fixture("create-only.json")}`]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`plan-report: --out ${dir}: is a directory; name a file in it, e.g. ${path.join(dir, "comment.md")}\n`);
    });
  });

  test("--max-bytes shortens the report and says so on standard error", async () => {
    const run = await cli(["--max-bytes", "3000", `dev=${fixture("every-action.json")}`]);
    expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(3001);
    expect(run.stderr).toMatch(/^plan-report: shortened to fit GitHub's limit; \d+ entries left out\n$/);
  });
});

describe("--help", () => {
  test.each([[["--help"]], [["-h"]], [["dev=a.json", "--help"]], [["--colour", "-h"]]])(
    "%j prints the usage to standard output and exits 0, whatever else is given",
    async (argv) => {
      const run = await cli(argv);
      expect(run).toEqual({ status: 0, stdout: `${USAGE}\n`, stderr: "" });
    },
  );

  test("the usage documents every option the parser accepts", () => {
    for (const [name, spec] of Object.entries(OPTIONS)) {
      expect([name, USAGE.includes(`--${name}`)]).toEqual([name, true]);
      if ("short" in spec) expect(USAGE).toContain(`-${spec.short}, --${name}`);
    }
  });

  test("after `--` it is a positional argument, not a request for help", async () => {
    const run = await cli(["--", "--help"]);
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[0]).toBe('plan-report: "--help" is not <stack>=<plan.json> (e.g. dev=plans/dev.json)');
  });
});

describe("--max-bytes too small for what every report keeps", () => {
  const plan = `dev=${fixture("every-action.json")}`;
  const smallestIn = (stderr: string) => Number(stderr.match(/; use (\d+) or more\n$/)?.[1]);

  test("fails when it cannot hold them: up front, naming the smallest value that works; nothing is written", async () => {
    const run = await cli(["--max-bytes", "100", plan]);
    expect(run).toMatchObject({ status: 1, stdout: "" });
    expect(run.stderr).toMatch(
      /^plan-report: --max-bytes 100: too small for this report's marker, heading and shortening note, which it always keeps; use \d+ or more\n$/,
    );
    const smallest = smallestIn(run.stderr);
    // Below it is refused too; it is the smallest.
    const below = await cli(["--max-bytes", String(smallest - 1), plan]);
    expect(below.status).toBe(1);
    expect(smallestIn(below.stderr)).toBe(smallest);
  });

  test("the value it names works: the marker, the verdict and the note, within the limit", async () => {
    const smallest = smallestIn((await cli(["--max-bytes", "1", plan])).stderr);
    const fits = await cli(["--max-bytes", String(smallest), plan]);
    expect(fits.status).toBe(2);
    expect(Buffer.byteLength(fits.stdout)).toBeLessThanOrEqual(smallest + 1);
    const lines = fits.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual(["<!-- plan-report -->", "## Terraform plan: 🛑 5 deletions or replacements in `dev`"]);
    expect(fits.stdout).toContain("> [!NOTE]\n> This comment is shortened to fit GitHub's 65,536-character limit");
  });

  test("a report that fits whole needs no room for the note", async () => {
    const whole = await cli([`production=${fixture("no-changes.json")}`]);
    const size = Buffer.byteLength(whole.stdout) - 1;
    expect(await cli(["--max-bytes", String(size), `production=${fixture("no-changes.json")}`])).toEqual(whole);
    const below = await cli(["--max-bytes", String(size - 1), `production=${fixture("no-changes.json")}`]);
    expect(below.status).toBe(1);
    expect(smallestIn(below.stderr)).toBe(size);
  });
});

describe("bad input", () => {
  test("1, naming every bad file and what was expected; no report is written", async () => {
    const missing = fixture("missing.json");
    const run = await cli([
      `dev=${fixture("every-action.json")}`,
      `staging=${missing}`,
      `production=${fixture("bad-format-version.json")}`,
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "2 input problems; nothing was reported:\n" +
        `  ${missing} (stack staging): cannot be read (no such file); expected the output of \`terraform show -json <planfile>\`\n` +
        `  ${fixture("bad-format-version.json")} (stack production): has format_version "2.0", which this tool does not read ` +
        "(it reads 1.x, written by Terraform 1.x); expected the output of `terraform show -json <planfile>`\n",
    );
  });

  test.each([
    [[], "plan-report: no plans given; pass <stack>=<plan.json> for each stack"],
    [["plan.json"], 'plan-report: "plan.json" is not <stack>=<plan.json> (e.g. dev=plans/dev.json)'],
    [["dev="], 'plan-report: "dev=" is not <stack>=<plan.json> (e.g. dev=plans/dev.json)'],
    [["dev=a.json", "dev=b.json"], 'plan-report: stack "dev" is given twice; pass one plan per stack'],
    [["--fail-on", "always", "dev=a.json"], 'plan-report: --fail-on "always" is not one of destroy, drift, never'],
    [["--marker", "a--b", "dev=a.json"], 'plan-report: --marker "a--b" may hold letters, digits and _ . : / - (no "--")'],
    [["--pr", "7", "dev=a.json"], "plan-report: --pr only makes sense with --post"],
    [["--post", "--pr", "x", "dev=a.json"], 'plan-report: --pr "x" is not a positive whole number'],
    [
      ["--post", "--issue", "Drift", "--pr", "3", "dev=a.json"],
      "plan-report: --issue posts to an issue; it cannot be combined with --pr or --destroy-label",
    ],
    [
      ["--colour", "dev=a.json"],
      "plan-report: Unknown option '--colour'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--colour\"",
    ],
  ])("usage %j: 1 with a message and the usage", async (argv, message) => {
    const run = await cli(argv);
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[0]).toBe(message);
    expect(run.stderr).toContain(USAGE);
  });

  test("--post without the GitHub settings: 1, naming each missing one", async () => {
    const run = await cli(["--post", `dev=${fixture("create-only.json")}`], {});
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "plan-report: --post: GITHUB_TOKEN is not set (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})\n" +
        "plan-report: --post: GITHUB_REPOSITORY is not set; expected owner/name\n" +
        "plan-report: --post: no pull request number: pass --pr <number> or run on a pull_request event (GITHUB_EVENT_PATH)\n",
    );
  });
});

describe("--allow-missing: a stack whose plan job failed", () => {
  test("is reported as having no plan, so an older comment is not left standing; the run exits 1", async () => {
    const missing = fixture("plan-job-failed.json");
    const run = await cli(["--allow-missing", `dev=${fixture("docker-volumes.json")}`, `staging=${missing}`]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[1]).toBe("## Terraform plan: ❌ no plan for `staging`; 🛑 2 deletions or replacements, 1 of them stateful, in `dev`");
    expect(run.stdout).toContain(
      "> [!WARNING]\n> **No plan for `staging`**: its plan job failed, so this report says nothing about it; see the workflow log.\n",
    );
    expect(run.stdout).not.toContain("**No changes:**");
    expect(run.stdout).not.toContain("### `staging`");
    expect(run.stderr).toBe("plan-report: no plan for staging: the report is incomplete\n");
  });

  test("other bad input is still an error", async () => {
    const run = await cli(["--allow-missing", `dev=${fixture("bad-raw-state.json")}`]);
    expect(run).toMatchObject({ status: 1, stdout: "" });
    expect(run.stderr).toContain("is a Terraform state file");
  });
});

describe("npm run plan-report", () => {
  test("bundles the tool and runs it as a process, with the exit status CI reads", () => {
    const build = spawnSync("node", ["scripts/build.mjs", "plan-report"], { cwd: ROOT, encoding: "utf8" });
    expect(build.status).toBe(0);
    // As `npm run plan-report -- …` runs it: the bundle (rebuilt only if stale) in the build script's process.
    const run = (...args: string[]) =>
      spawnSync("node", ["scripts/build.mjs", "--run", "plan-report", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });

    const destroys = run(`dev=${fixture("kubernetes-stateful.json")}`);
    expect(destroys.status).toBe(2);
    expect(destroys.stdout.split("\n")[0]).toBe("<!-- plan-report -->");

    const help = run("--help");
    expect(help).toMatchObject({ status: 0, stdout: `${USAGE}\n`, stderr: "" });

    // A relative --out, as the workflows pass it, without a stack trace.
    const noDir = run("--out", "plans/x/comment.md", `dev=${fixture("create-only.json")}`);
    expect(noDir).toMatchObject({
      status: 1,
      stdout: "",
      stderr: "plan-report: --out plans/x/comment.md: directory plans/x does not exist; create it first or choose another path\n",
    });

    const bad = run(`dev=${fixture("bad-raw-state.json")}`);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("(stack dev): is a Terraform state file (state version 4), not a plan");
  });
});
