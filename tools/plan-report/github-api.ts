/**
 * The few GitHub REST calls the report needs, over Node's own fetch. The base
 * URL comes from GITHUB_API_URL (GitHub Enterprise, or a local test server).
 */

import { errorMessage } from "./error-message";
import { isRecord } from "./is-record";

export const DEFAULT_API_URL = "https://api.github.com";

export interface GitHubApiOptions {
  /** @default DEFAULT_API_URL */
  readonly apiUrl?: string;
  readonly token: string;
  /** `owner/name` */
  readonly repository: string;
  /** Longest wait for a rate limit to lift before giving up, in seconds. @default MAX_RATE_LIMIT_WAIT_SECONDS */
  readonly maxWaitSeconds?: number;
  /** Waits between attempts; tests pass one that records instead of sleeping. @default - a timer */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** The clock, for `x-ratelimit-reset`. @default Date.now */
  readonly now?: () => number;
}

/** GitHub's largest page; fewer pages means fewer requests against the rate limit. */
export const PER_PAGE = 100;
/** 100 pages of 100: far above any pull request's comments; a guard against a link that never ends. */
export const MAX_PAGES = 100;
/** A CI job may wait this long for a rate limit (GitHub asks for at least a minute on secondary limits). */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 90;
/** Attempts of one request that hits a rate limit or, for a GET, a transient server error. */
export const MAX_ATTEMPTS = 3;
/** GitHub's advice when a secondary rate limit gives no `retry-after`. */
const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60;
const SERVER_ERROR_WAIT_SECONDS = [1, 3];

/** Posting failed: the API could not be reached, or pointed somewhere it should not. */
export class GitHubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitHubError";
  }
}

/** The API answered with an error status. */
export class GitHubApiError extends GitHubError {
  constructor(
    public readonly status: number,
    method: string,
    path: string,
    detail: string,
    rateLimit = "",
  ) {
    super(`GitHub API ${method} ${path} answered ${status}: ${detail}${rateLimit || hint(status)}`);
    this.name = "GitHubApiError";
  }
}

export class GitHubApi {
  private readonly apiUrl: string;

  constructor(private readonly options: GitHubApiOptions) {
    this.apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, "");
  }

  /** `/repos/<owner>/<name>` followed by `path`. */
  public repoPath(path: string): string {
    return `/repos/${this.options.repository}${path}`;
  }

  public async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.send(method, `${this.apiUrl}${path}`, body);
    if (response.status === 204) return undefined;
    return response.json();
  }

  /**
   * Every item of a paginated list, following the `Link: <…>; rel="next"`
   * header (not counting pages: GitHub's next link is the only reliable one),
   * 100 items a page, at most MAX_PAGES pages.
   */
  public async list(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const perPage = /[?&]per_page=/.test(path) ? "" : `${path.includes("?") ? "&" : "?"}per_page=${PER_PAGE}`;
    const seen = new Set<string>();
    let url: string | undefined = `${this.apiUrl}${path}${perPage}`;
    while (url !== undefined) {
      if (seen.has(url)) throw new GitHubError(`GitHub API pagination returned to a page it already read: ${url}`);
      if (seen.size === MAX_PAGES) {
        throw new GitHubError(`GitHub API GET ${path}: more than ${MAX_PAGES} pages of ${PER_PAGE}; giving up`);
      }
      seen.add(url);
      const response = await this.send("GET", url);
      const page: unknown = await response.json();
      if (!Array.isArray(page)) throw new GitHubApiError(response.status, "GET", url, "expected a list");
      items.push(...page);
      url = this.nextPage(response.headers.get("link"));
    }
    return items;
  }

  /** One request, repeated while GitHub asks to wait (rate limits) or, for a GET, while it fails transiently. */
  private async send(method: string, url: string, body?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.fetchOnce(method, url, body);
      if (response.ok) return response;
      const wait = this.retryDelay(method, response, attempt);
      const path = url.startsWith(this.apiUrl) ? url.slice(this.apiUrl.length) : url;
      if (wait === undefined) {
        const detail = await errorDetail(response);
        throw new GitHubApiError(response.status, method, path, detail, this.rateLimitHint(response));
      }
      await response.body?.cancel();
      await this.sleep(wait * 1000);
    }
  }

  private async fetchOnce(method: string, url: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${this.options.token}`,
          "x-github-api-version": "2022-11-28",
          "user-agent": "platform-iac-plan-report",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = isRecord(error) && error.cause !== undefined ? errorMessage(error.cause) : errorMessage(error);
      throw new GitHubError(`GitHub API ${method} ${url} could not be reached: ${cause}`);
    }
  }

  /**
   * Seconds to wait before the next attempt, or undefined to give up. GitHub's
   * rules: a rate limit answers 403 or 429 with `retry-after` (secondary
   * limits) or `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (primary).
   * A 403 without them is a permission error. Server errors are retried for
   * GETs only: a POST that failed with 502 may still have created the comment.
   */
  private retryDelay(method: string, response: Response, attempt: number): number | undefined {
    if (attempt >= MAX_ATTEMPTS) return undefined;
    const limited = rateLimitWait(response, this.now());
    if (limited !== undefined) return limited <= this.maxWaitSeconds ? limited : undefined;
    if (method === "GET" && [500, 502, 503, 504].includes(response.status)) {
      return SERVER_ERROR_WAIT_SECONDS[attempt - 1];
    }
    return undefined;
  }

  private rateLimitHint(response: Response): string {
    const wait = rateLimitWait(response, this.now());
    if (wait === undefined) return "";
    const at = new Date(this.now() + wait * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    return ` (rate limited until ${at}; re-run the job then)`;
  }

  private get maxWaitSeconds(): number {
    return this.options.maxWaitSeconds ?? MAX_RATE_LIMIT_WAIT_SECONDS;
  }

  private sleep(milliseconds: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(milliseconds);
    return new Promise((resolve) => setTimeout(resolve, milliseconds));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The next page, only on the same API host: the token must not follow a link elsewhere. */
  private nextPage(link: string | null): string | undefined {
    const url = parseLinkHeader(link ?? "").get("next");
    if (url === undefined) return undefined;
    if (!url.startsWith(`${this.apiUrl}/`)) {
      throw new GitHubError(`GitHub API pagination points outside ${this.apiUrl}: ${url}`);
    }
    return url;
  }
}

/**
 * The targets of a `Link` header by relation type (RFC 8288): a URL may hold
 * commas (`labels=a,b`), `rel` may be quoted or not and name several types.
 */
export function parseLinkHeader(header: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = match[2].match(/;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i);
    for (const type of (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/)) {
      if (type !== "" && !links.has(type)) links.set(type, match[1]);
    }
  }
  return links;
}

/** Seconds GitHub asks to wait, when the answer is a rate limit; undefined otherwise. */
function rateLimitWait(response: Response, now: number): number | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  if (response.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
  }
  // 429 is always a rate limit, even without a header saying how long.
  return response.status === 429 ? DEFAULT_RATE_LIMIT_WAIT_SECONDS : undefined;
}

async function errorDetail(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "message" in parsed && typeof parsed.message === "string") {
      return parsed.message;
    }
  } catch {
    // Not JSON: show the start of the text.
  }
  return text.slice(0, 200) || response.statusText;
}

function hint(status: number): string {
  if (status === 401) return " (is GITHUB_TOKEN set and valid?)";
  if (status === 403 || status === 404) {
    return " (does the token have `pull-requests: write` / `issues: write`? Pull requests from forks get a read-only token)";
  }
  return "";
}
