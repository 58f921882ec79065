import { GitHubApi, GitHubApiError } from "./github-api";
import { isRecord } from "./is-record";

/** What posting did, for the log line of the CI step. */
export interface PostResult {
  readonly action: "created" | "updated" | "closed" | "unchanged";
  /** Comment id or issue number; absent when nothing exists. */
  readonly id?: number;
  readonly url?: string;
}

interface Found {
  readonly id: number;
  readonly url?: string;
}

/**
 * Creates the pull request's report comment, or updates the one that starts
 * with `marker` so a pull request carries one report however often it is pushed.
 */
export async function upsertComment(api: GitHubApi, issueNumber: number, marker: string, body: string): Promise<PostResult> {
  const comments = await api.list(api.repoPath(`/issues/${issueNumber}/comments`));
  const existing = findByMarker(comments, marker, "id");
  if (existing !== undefined) {
    const updated = await api.request("PATCH", api.repoPath(`/issues/comments/${existing.id}`), { body });
    return { action: "updated", id: existing.id, url: htmlUrl(updated) };
  }
  const created = await api.request("POST", api.repoPath(`/issues/${issueNumber}/comments`), { body });
  return { action: "created", id: numberField(created, "id"), url: htmlUrl(created) };
}

/** Adds the label while `present`, removes it otherwise (a later push may no longer delete anything). */
export async function syncLabel(api: GitHubApi, issueNumber: number, label: string, present: boolean): Promise<void> {
  if (present) {
    await api.request("POST", api.repoPath(`/issues/${issueNumber}/labels`), { labels: [label] });
    return;
  }
  try {
    await api.request("DELETE", api.repoPath(`/issues/${issueNumber}/labels/${encodeURIComponent(label)}`));
  } catch (error) {
    // 404: the label was not on the pull request; nothing to remove.
    if (!(error instanceof GitHubApiError && error.status === 404)) throw error;
  }
}

export interface IssueRequest {
  readonly marker: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  /** Open (or keep open) the issue; when false, close an open one and create none. */
  readonly open: boolean;
}

/**
 * One open issue per marker: created when the condition appears, its body
 * replaced on every run while it lasts, closed when it is gone.
 */
export async function upsertIssue(api: GitHubApi, request: IssueRequest): Promise<PostResult> {
  const filter = request.labels.length > 0 ? `&labels=${encodeURIComponent(request.labels.join(","))}` : "";
  const issues = await api.list(api.repoPath(`/issues?state=open${filter}`));
  // The issues list also returns pull requests; they are never the drift issue.
  const existing = findByMarker(
    issues.filter((issue) => isRecord(issue) && !("pull_request" in issue)),
    request.marker,
    "number",
  );
  if (existing === undefined) {
    if (!request.open) return { action: "unchanged" };
    const created = await api.request("POST", api.repoPath("/issues"), {
      title: request.title,
      body: request.body,
      labels: request.labels,
    });
    return { action: "created", id: numberField(created, "number"), url: htmlUrl(created) };
  }
  const patch = request.open ? { body: request.body } : { body: request.body, state: "closed", state_reason: "completed" };
  const updated = await api.request("PATCH", api.repoPath(`/issues/${existing.id}`), patch);
  return { action: request.open ? "updated" : "closed", id: existing.id, url: htmlUrl(updated) };
}

/** The first item whose body starts with the marker line. */
function findByMarker(items: readonly unknown[], marker: string, idField: "id" | "number"): Found | undefined {
  const line = `<!-- ${marker} -->`;
  for (const item of items) {
    const id = numberField(item, idField);
    if (!isRecord(item) || typeof item.body !== "string" || id === undefined) continue;
    // The marker must be the whole first line: a quoted or pasted report elsewhere does not count.
    if (item.body.split("\n", 1)[0].trim() === line) return { id, url: htmlUrl(item) };
  }
  return undefined;
}

function numberField(value: unknown, field: string): number | undefined {
  const found = isRecord(value) ? value[field] : undefined;
  return typeof found === "number" ? found : undefined;
}

function htmlUrl(value: unknown): string | undefined {
  return isRecord(value) && typeof value.html_url === "string" ? value.html_url : undefined;
}
