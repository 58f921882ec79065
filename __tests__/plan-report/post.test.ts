import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeGitHub, REPOSITORY, TOKEN } from "./fake-github";
import { fixture } from "./support";
import { cli } from "./support-cli";

describe("--post against a local server that plays the GitHub API", () => {
  let github: FakeGitHub;
  let env: Record<string, string>;

  beforeEach(async () => {
    github = new FakeGitHub();
    await github.start();
    env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: github.url };
  });

  afterEach(async () => {
    await github.stop();
  });

  const destroys = `local=${fixture("docker-volumes.json")}`;
  const creates = `staging=${fixture("create-only.json")}`;

  describe("the pull request comment", () => {
    test("is created when no comment carries the marker, with the report as its body", async () => {
      github.addComment(7, "LGTM");
      github.addComment(7, "> quoting the bot:\n<!-- plan-report -->");
      const run = await cli(["--post", "--pr", "7", creates], env);

      expect(run.status).toBe(0);
      const created = github.writes();
      expect(created.map((request) => `${request.method} ${request.path}`)).toEqual([`POST /repos/${REPOSITORY}/issues/7/comments`]);
      expect(created[0].body).toEqual({ body: run.stdout.replace(/\n$/, "") });
      expect(github.comments.get(7)).toHaveLength(3);
      expect(run.stderr).toMatch(/^plan-report: created comment \d+: https:\/\/github\.com\/acme\/platform\/pull\/1#issuecomment-\d+\n$/);
    });

    test("is updated in place on the next push, found by its marker on a later page", async () => {
      for (let index = 0; index < 5; index++) github.addComment(7, `comment ${index}`);
      const existing = github.addComment(7, "<!-- plan-report -->\n## Terraform plan: old");
      github.addComment(7, "a later reply");

      const run = await cli(["--post", "--pr", "7", creates], env);

      expect(run.status).toBe(0);
      expect(github.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
        `PATCH /repos/${REPOSITORY}/issues/comments/${existing.id}`,
      ]);
      expect(existing.body).toBe(run.stdout.replace(/\n$/, ""));
      // It read every page: 7 comments, 2 per page.
      expect(github.requests.filter((request) => request.method === "GET").map((request) => request.path)).toEqual([
        `/repos/${REPOSITORY}/issues/7/comments?per_page=100`,
        `/repos/${REPOSITORY}/issues/7/comments?per_page=100&page=2`,
        `/repos/${REPOSITORY}/issues/7/comments?per_page=100&page=3`,
        `/repos/${REPOSITORY}/issues/7/comments?per_page=100&page=4`,
      ]);
    });

    test("a different marker is a different comment", async () => {
      const plan = github.addComment(7, "<!-- plan-report -->\nplan");
      await cli(["--post", "--pr", "7", "--marker", "plan-report:nightly", creates], env);
      expect(plan.body).toBe("<!-- plan-report -->\nplan");
      expect(github.comments.get(7)?.[1].body.startsWith("<!-- plan-report:nightly -->\n")).toBe(true);
    });

    test("sends the token and GitHub's media type and API version", async () => {
      await cli(["--post", "--pr", "7", creates], env);
      for (const request of github.requests) {
        expect(request.headers).toMatchObject({
          authorization: `Bearer ${TOKEN}`,
          accept: "application/vnd.github+json",
          "x-github-api-version": "2022-11-28",
        });
      }
    });

    test("takes the pull request number from the event of a pull_request workflow", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
      try {
        const event = path.join(dir, "event.json");
        fs.writeFileSync(event, JSON.stringify({ action: "synchronize", number: 12, pull_request: { number: 12 } }));
        const run = await cli(["--post", creates], { ...env, GITHUB_EVENT_PATH: event });
        expect(run.status).toBe(0);
        expect(github.comments.get(12)).toHaveLength(1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test("a failed plan job replaces the previous report instead of leaving it standing", async () => {
    const old = github.addComment(7, "<!-- plan-report -->\n## Terraform plan: ✅ no changes");
    const run = await cli(["--post", "--pr", "7", "--allow-missing", creates, `dev=${fixture("plan-job-failed.json")}`], env);
    expect(run.status).toBe(1);
    expect(old.body.split("\n")[1]).toBe("## Terraform plan: ❌ no plan for `dev`; ✏️ changes in `staging`, nothing deleted");
  });

  describe("the destroy label", () => {
    test("is added while the pull request deletes something, and the exit status still says so", async () => {
      const run = await cli(["--post", "--pr", "7", "--destroy-label", "destroys-resources", destroys], env);
      expect(run.status).toBe(2);
      expect([...(github.labels.get(7) ?? [])]).toEqual(["destroys-resources"]);
    });

    test("is removed once a later push deletes nothing; a label that is not there is fine", async () => {
      github.labels.set(7, new Set(["destroys-resources", "infra"]));
      await cli(["--post", "--pr", "7", "--destroy-label", "destroys-resources", creates], env);
      expect([...(github.labels.get(7) ?? [])]).toEqual(["infra"]);

      const again = await cli(["--post", "--pr", "7", "--destroy-label", "destroys-resources", creates], env);
      expect(again.status).toBe(0);
      expect(github.writes().at(-1)).toMatchObject({
        method: "DELETE",
        path: `/repos/${REPOSITORY}/issues/7/labels/destroys-resources`,
      });
    });
  });

  describe("the drift issue", () => {
    const drift = `production=${fixture("drift.json")}`;
    const clean = `production=${fixture("no-changes.json")}`;
    const args = [
      "--post",
      "--fail-on",
      "drift",
      "--marker",
      "plan-report:drift",
      "--issue",
      "Drift in production",
      "--issue-label",
      "drift",
    ];

    test("is opened when drift appears, updated while it lasts and closed when it is gone", async () => {
      github.addIssue({
        title: "Unrelated",
        body: "<!-- plan-report:drift -->\nbut not labelled drift",
        state: "open",
        labels: [],
      });

      const first = await cli([...args, drift], env);
      expect(first.status).toBe(2);
      const opened = github.issues.find((issue) => issue.title === "Drift in production");
      expect(opened).toMatchObject({ state: "open", labels: ["drift"] });
      expect(opened?.body.startsWith("<!-- plan-report:drift -->\n")).toBe(true);
      expect(first.stderr).toContain(
        `plan-report: created issue #${opened?.number}: https://github.com/${REPOSITORY}/issues/${opened?.number}`,
      );

      const second = await cli([...args, drift], env);
      expect(second.status).toBe(2);
      expect(github.issues.filter((issue) => issue.title === "Drift in production")).toHaveLength(1);
      expect(second.stderr).toContain(`updated issue #${opened?.number}`);

      const fixed = await cli([...args, clean], env);
      expect(fixed.status).toBe(0);
      expect(opened).toMatchObject({ state: "closed" });
      expect(opened?.body).toContain("✅ no changes");
      expect(github.issues[0].state).toBe("open");
    });

    test("a stack that could not be planned opens the issue too, and the run fails", async () => {
      const run = await cli([...args, "--allow-missing", clean, `staging=${fixture("plan-job-failed.json")}`], env);
      expect(run.status).toBe(1);
      const opened = github.issues.find((issue) => issue.title === "Drift in production");
      expect(opened?.body).toContain("**No plan for `staging`**");
    });

    test("nothing is posted when there is no drift and no open issue", async () => {
      const run = await cli([...args, clean], env);
      expect(run.status).toBe(0);
      expect(github.writes()).toEqual([]);
      expect(run.stderr).toBe("plan-report: nothing to report and no open issue: nothing posted\n");
    });

    test("a pull request carrying the marker is never taken for the issue", async () => {
      github.addIssue({
        title: "PR",
        body: "<!-- plan-report:drift -->\n",
        state: "open",
        labels: ["drift"],
        pull_request: {},
      });
      await cli([...args, drift], env);
      expect(github.writes().map((request) => request.method)).toEqual(["POST"]);
    });
  });

  describe("failures", () => {
    test("a read-only token: 1, with GitHub's message and a hint, never the token", async () => {
      github.readOnly = true;
      const run = await cli(["--post", "--pr", "7", creates], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `GitHub API POST /repos/${REPOSITORY}/issues/7/comments answered 403: Resource not accessible by integration ` +
          "(does the token have `pull-requests: write` / `issues: write`? Pull requests from forks get a read-only token)\n",
      );
      expect(run.stderr).not.toContain(TOKEN);
    });

    test("a --max-bytes too small for the marker and verdict: 1, and nothing is posted", async () => {
      const old = github.addComment(7, "<!-- plan-report -->\n## Terraform plan: old");
      const run = await cli(["--post", "--pr", "7", "--max-bytes", "40", creates], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^plan-report: --max-bytes 40: too small for this report's marker/);
      expect(github.requests).toEqual([]);
      expect(old.body).toBe("<!-- plan-report -->\n## Terraform plan: old");
    });

    test("a secondary rate limit is waited out (retry-after) and the comment still posted", async () => {
      github.interrupts.push({
        status: 403,
        headers: { "retry-after": "0" },
        body: { message: "You have exceeded a secondary rate limit." },
      });
      const run = await cli(["--post", "--pr", "7", creates], env);
      expect(run.status).toBe(0);
      expect(github.comments.get(7)).toHaveLength(1);
    });

    test("a wrong token: 1, saying so", async () => {
      const run = await cli(["--post", "--pr", "7", creates], { ...env, GITHUB_TOKEN: "wrong" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("answered 401: Bad credentials (is GITHUB_TOKEN set and valid?)");
    });

    test("the token never follows a pagination link to another host", async () => {
      for (let index = 0; index < 3; index++) github.addComment(7, `comment ${index}`);
      github.foreignNextPage = true;
      const run = await cli(["--post", "--pr", "7", creates], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^GitHub API pagination points outside ${github.url}: http://evil\\.example:`));
      expect(github.requests).toHaveLength(1);
    });

    test("an API that cannot be reached: 1, naming the URL", async () => {
      await github.stop();
      const run = await cli(["--post", "--pr", "7", creates], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^GitHub API GET ${github.url}/repos/${REPOSITORY}/issues/7/comments\\?per_page=100 could not be reached: .*ECONNREFUSED`,
        ),
      );
      await github.start();
    });
  });
});
