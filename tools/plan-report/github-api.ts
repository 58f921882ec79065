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
}

/** Posting failed: the API could not be reached, or pointed somewhere it should not. */
export class GitHubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitHubError";
  }
}

/** The API answered with an error status. */
export class GitHubApiError extends GitHubError {
  constructor(public readonly status: number, method: string, path: string, detail: string) {
    super(`GitHub API ${method} ${path} answered ${status}: ${detail}${hint(status)}`);
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

  /** Every item of a paginated list, following the `Link: <…>; rel="next"` headers. */
  public async list(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | undefined = `${this.apiUrl}${path}${path.includes("?") ? "&" : "?"}per_page=100`;
    while (url !== undefined) {
      const response = await this.send("GET", url);
      const page: unknown = await response.json();
      if (!Array.isArray(page)) throw new GitHubApiError(response.status, "GET", url, "expected a list");
      items.push(...page);
      url = this.nextPage(response.headers.get("link"));
    }
    return items;
  }

  private async send(method: string, url: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
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
    if (!response.ok) {
      const path = url.startsWith(this.apiUrl) ? url.slice(this.apiUrl.length) : url;
      throw new GitHubApiError(response.status, method, path, await errorDetail(response));
    }
    return response;
  }

  /** The next page, only on the same API host: the token must not follow a link elsewhere. */
  private nextPage(link: string | null): string | undefined {
    const next = link?.split(",").find((part) => /rel="next"/.test(part));
    const url = next?.match(/<([^>]+)>/)?.[1];
    if (url === undefined) return undefined;
    if (!url.startsWith(`${this.apiUrl}/`)) {
      throw new GitHubError(`GitHub API pagination points outside ${this.apiUrl}: ${url}`);
    }
    return url;
  }
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
