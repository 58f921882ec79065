/**
 * The GitHub client against the local fake server: pagination by the Link
 * header, GitHub's rate-limit answers and transient server errors. Waits are
 * recorded instead of slept.
 */
import { GitHubApi, GitHubApiOptions, MAX_ATTEMPTS, MAX_PAGES, parseLinkHeader } from "../../tools/plan-report/github-api";
import { FakeGitHub, REPOSITORY, TOKEN } from "./fake-github";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe("the Link header", () => {
  test("GitHub's own: next and last", () => {
    const links = parseLinkHeader(
      '<https://api.github.com/repositories/1/issues?page=2>; rel="next", ' +
        '<https://api.github.com/repositories/1/issues?page=5>; rel="last"',
    );
    expect(links.get("next")).toBe("https://api.github.com/repositories/1/issues?page=2");
    expect(links.get("last")).toBe("https://api.github.com/repositories/1/issues?page=5");
  });

  test("a comma inside a URL does not split it (a label filter: labels=drift,infra)", () => {
    const links = parseLinkHeader(
      '<https://api.github.com/repos/a/b/issues?labels=drift,infra&page=1>; rel="prev", ' +
        '<https://api.github.com/repos/a/b/issues?labels=drift,infra&page=3>; rel="next"',
    );
    expect(links.get("next")).toBe("https://api.github.com/repos/a/b/issues?labels=drift,infra&page=3");
  });

  test("rel unquoted, after other parameters, in any case, or naming several types", () => {
    expect(parseLinkHeader('<https://h/x?page=2>; title="p"; REL=next').get("next")).toBe("https://h/x?page=2");
    expect(parseLinkHeader('<https://h/x?page=9>;rel="last next"').get("next")).toBe("https://h/x?page=9");
  });

  test("no next page: the list is complete", () => {
    expect(parseLinkHeader('<https://h/x?page=1>; rel="prev", <https://h/x?page=1>; rel="first"').has("next")).toBe(false);
    expect(parseLinkHeader("").size).toBe(0);
  });
});

describe("GitHubApi against a local server", () => {
  let github: FakeGitHub;
  let waits: number[];

  beforeEach(async () => {
    github = new FakeGitHub();
    await github.start();
    waits = [];
  });

  afterEach(async () => {
    await github.stop();
  });

  function api(options: Partial<GitHubApiOptions> = {}): GitHubApi {
    return new GitHubApi({
      apiUrl: github.url,
      token: TOKEN,
      repository: REPOSITORY,
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
      },
      now: () => NOW,
      ...options,
    });
  }

  const comments = () => api().list(`/repos/${REPOSITORY}/issues/7/comments`);
  const paths = () => github.requests.map((request) => `${request.method} ${request.path}`);

  describe("pagination", () => {
    test("asks for GitHub's largest page and follows each next link to the end", async () => {
      github.pageSize = 100;
      for (let index = 0; index < 250; index++) github.addComment(7, `comment ${index}`);
      const items = await comments();
      expect(items).toHaveLength(250);
      expect(paths()).toEqual([
        `GET /repos/${REPOSITORY}/issues/7/comments?per_page=100`,
        `GET /repos/${REPOSITORY}/issues/7/comments?per_page=100&page=2`,
        `GET /repos/${REPOSITORY}/issues/7/comments?per_page=100&page=3`,
      ]);
    });

    test("fails when a next link leads back to a page already read, instead of looping", async () => {
      const url = `${github.url}/repos/${REPOSITORY}/issues/7/comments?per_page=100`;
      github.interrupts.push({ status: 200, body: [], headers: { link: `<${url}>; rel="next"` } });
      github.interrupts.push({ status: 200, body: [], headers: { link: `<${url}>; rel="next"` } });
      await expect(comments()).rejects.toThrow(`GitHub API pagination returned to a page it already read: ${url}`);
      expect(github.requests).toHaveLength(1);
    });

    test(`stops after ${MAX_PAGES} pages`, async () => {
      github.pageSize = 1;
      for (let index = 0; index <= MAX_PAGES; index++) github.addComment(7, `comment ${index}`);
      await expect(comments()).rejects.toThrow(
        `GitHub API GET /repos/${REPOSITORY}/issues/7/comments: more than ${MAX_PAGES} pages of 100; giving up`,
      );
      expect(github.requests).toHaveLength(MAX_PAGES);
    });
  });

  describe("rate limits", () => {
    test("a secondary limit (retry-after) is waited out, then the request is sent again", async () => {
      github.interrupts.push({
        status: 403,
        headers: { "retry-after": "30" },
        body: { message: "You have exceeded a secondary rate limit." },
      });
      const created = await api().request("POST", `/repos/${REPOSITORY}/issues/7/comments`, { body: "report" });
      expect(created).toMatchObject({ body: "report" });
      expect(waits).toEqual([30_000]);
      expect(paths()).toEqual([`POST /repos/${REPOSITORY}/issues/7/comments`, `POST /repos/${REPOSITORY}/issues/7/comments`]);
      expect(github.comments.get(7)).toHaveLength(1);
    });

    test("a primary limit (x-ratelimit-remaining: 0) waits until x-ratelimit-reset", async () => {
      github.interrupts.push({
        status: 429,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 42) },
        body: { message: "API rate limit exceeded" },
      });
      await comments();
      expect(waits).toEqual([42_000]);
    });

    test("a 429 without headers waits the minute GitHub advises", async () => {
      github.interrupts.push({ status: 429, body: { message: "Too many requests" } });
      await comments();
      expect(waits).toEqual([60_000]);
    });

    test("fails when the limit lifts later than a job should wait, saying until when", async () => {
      github.interrupts.push({
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 1800) },
        body: { message: "API rate limit exceeded for installation ID 1." },
      });
      await expect(comments()).rejects.toThrow(
        `GitHub API GET /repos/${REPOSITORY}/issues/7/comments?per_page=100 answered 403: ` +
          "API rate limit exceeded for installation ID 1. (rate limited until 2026-01-15T12:30:00Z; re-run the job then)",
      );
      expect(waits).toEqual([]);
    });

    test(`fails after ${MAX_ATTEMPTS} attempts`, async () => {
      for (let index = 0; index < MAX_ATTEMPTS; index++) {
        github.interrupts.push({ status: 429, headers: { "retry-after": "1" }, body: { message: "slow down" } });
      }
      await expect(comments()).rejects.toThrow(/answered 429: slow down \(rate limited until 2026-01-15T12:00:01Z/);
      expect(waits).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, () => 1000));
    });

    test("a 403 that is no rate limit is a permission error at once, with its hint", async () => {
      github.readOnly = true;
      await expect(api().request("POST", `/repos/${REPOSITORY}/issues/7/comments`, { body: "report" })).rejects.toThrow(
        "answered 403: Resource not accessible by integration (does the token have",
      );
      expect(waits).toEqual([]);
    });
  });

  describe("server errors", () => {
    test("a GET is tried again after a 502", async () => {
      github.interrupts.push({ status: 502, body: { message: "Server Error" } });
      github.addComment(7, "hello");
      expect(await comments()).toHaveLength(1);
      expect(waits).toEqual([1000]);
    });

    test("a POST is not: the comment may have been created before the error", async () => {
      github.interrupts.push({ status: 502, body: { message: "Server Error" } });
      await expect(api().request("POST", `/repos/${REPOSITORY}/issues/7/comments`, { body: "report" })).rejects.toThrow(
        `GitHub API POST /repos/${REPOSITORY}/issues/7/comments answered 502: Server Error`,
      );
      expect(github.requests).toHaveLength(1);
    });
  });
});
