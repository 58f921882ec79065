import * as fs from "fs";
import * as path from "path";
import { CliOptions, parseCliArgs, UsageError, USAGE, wantsHelp } from "./args";
import { errorMessage } from "./error-message";
import { GitHubApi, GitHubError } from "./github-api";
import { isRecord } from "./is-record";
import { loadPlans, PlanInputError } from "./load-plan";
import { PostResult, syncLabel, upsertComment, upsertIssue } from "./post";
import { renderReport, smallestMaxBytes } from "./render";
import { hasDestructiveChanges, hasDrift, missingStacks, ReportSummary, summarize } from "./summarize";

/** Exit statuses, documented in the usage text and the README. */
export const EXIT = { ok: 0, error: 1, failOnMet: 2 } as const;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The whole command; returns the exit status instead of exiting, so tests run it in-process. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  try {
    const options = parseCliArgs(argv);
    // Before any work: a report that cannot be written is not worth rendering or posting.
    if (options.out !== undefined) checkOutFile(options.out);
    const summary = summarize(loadPlans(options.plans, { allowMissing: options.allowMissing }));
    checkMaxBytes(summary, options);
    const report = renderReport(summary, options);
    const missing = missingStacks(summary);
    const met = failOnMet(summary, options);
    if (options.out !== undefined) writeOutFile(options.out, `${report.text}\n`);
    else io.stdout(`${report.text}\n`);
    if (report.hidden > 0) {
      io.stderr(`plan-report: shortened to fit GitHub's limit; ${report.hidden} entries left out\n`);
    }
    if (options.post) {
      // A failed plan is worth an issue as much as drift is: nobody knows what the stack looks like.
      const result = await post(options, summary, report.text, met || missing.length > 0, io.env);
      io.stderr(`plan-report: ${describePost(result, options.issueTitle === undefined ? "comment" : "issue")}\n`);
    }
    if (missing.length > 0) {
      io.stderr(`plan-report: no plan for ${missing.join(", ")}: the report is incomplete\n`);
      return EXIT.error;
    }
    return met ? EXIT.failOnMet : EXIT.ok;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof PlanInputError ||
      error instanceof GitHubError ||
      error instanceof PostSetupError ||
      error instanceof OptionError
    ) {
      io.stderr(`${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }
}

function failOnMet(summary: ReportSummary, options: CliOptions): boolean {
  if (options.failOn === "destroy") return hasDestructiveChanges(summary);
  if (options.failOn === "drift") return hasDrift(summary);
  return false;
}

/** An option's value that cannot work, found once the plans or the file system are known. */
class OptionError extends Error {
  constructor(option: string, value: string | number, problem: string) {
    super(`plan-report: ${option} ${value}: ${problem}`);
    this.name = "OptionError";
  }
}

/**
 * A limit that cannot hold the report's marker, heading and shortening note is
 * refused before anything is written or posted, instead of giving a comment
 * that cannot be found again or says nothing. The smallest value depends on
 * the verdict, so it is known only once the plans are read.
 */
function checkMaxBytes(summary: ReportSummary, options: CliOptions): void {
  if (options.maxBytes === undefined) return;
  const smallest = smallestMaxBytes(summary, options);
  if (options.maxBytes < smallest) {
    throw new OptionError(
      "--max-bytes",
      options.maxBytes,
      `too small for this report's marker, heading and shortening note, which it always keeps; use ${smallest} or more`,
    );
  }
}

/** The file's directory must exist (the tool does not guess which directories to create) and it must not be one. */
function checkOutFile(out: string): void {
  const directory = path.dirname(out);
  const kind = (file: string) => {
    try {
      return fs.statSync(file).isDirectory() ? "directory" : "file";
    } catch {
      return "absent";
    }
  };
  if (kind(directory) === "absent") {
    const problem = `directory ${directory} does not exist; create it first or choose another path`;
    throw new OptionError("--out", out, problem);
  }
  if (kind(directory) === "file") {
    throw new OptionError("--out", out, `${directory} is a file, not a directory; choose another path`);
  }
  if (kind(out) === "directory") {
    throw new OptionError("--out", out, `is a directory; name a file in it, e.g. ${path.join(out, "comment.md")}`);
  }
}

function writeOutFile(out: string, text: string): void {
  try {
    fs.writeFileSync(out, text);
  } catch (error) {
    throw new OptionError("--out", out, `cannot be written (${errorMessage(error)}); choose another path`);
  }
}

/** Missing settings for --post, all at once. */
class PostSetupError extends Error {
  constructor(problems: readonly string[]) {
    super(problems.map((problem) => `plan-report: --post: ${problem}`).join("\n"));
    this.name = "PostSetupError";
  }
}

/** Where --post writes: the pull request's comment, or the issue of a scheduled run. */
type Target = { readonly kind: "comment"; readonly number: number } | { readonly kind: "issue"; readonly title: string };

async function post(options: CliOptions, summary: ReportSummary, body: string, alert: boolean, env: CliIo["env"]): Promise<PostResult> {
  const problems: string[] = [];
  const token = env.GITHUB_TOKEN;
  const repository = env.GITHUB_REPOSITORY;
  if (!token) problems.push("GITHUB_TOKEN is not set (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})");
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    problems.push(`GITHUB_REPOSITORY is ${repository ? `"${repository}"` : "not set"}; expected owner/name`);
  }
  const target = postTarget(options, env);
  if (target === undefined) {
    problems.push("no pull request number: pass --pr <number> or run on a pull_request event (GITHUB_EVENT_PATH)");
  }
  if (problems.length > 0 || !token || !repository || target === undefined) throw new PostSetupError(problems);

  const api = new GitHubApi({ apiUrl: env.GITHUB_API_URL || undefined, token, repository });
  if (target.kind === "issue") {
    return upsertIssue(api, {
      marker: options.marker,
      title: target.title,
      body,
      labels: options.issueLabels,
      open: alert,
    });
  }
  const result = await upsertComment(api, target.number, options.marker, body);
  if (options.destroyLabel) await syncLabel(api, target.number, options.destroyLabel, hasDestructiveChanges(summary));
  return result;
}

function postTarget(options: CliOptions, env: CliIo["env"]): Target | undefined {
  if (options.issueTitle !== undefined) return { kind: "issue", title: options.issueTitle };
  const number = options.pr ?? pullRequestFromEvent(env.GITHUB_EVENT_PATH);
  return number === undefined ? undefined : { kind: "comment", number };
}

function pullRequestFromEvent(eventPath: string | undefined): number | undefined {
  if (!eventPath) return undefined;
  try {
    const event: unknown = JSON.parse(fs.readFileSync(eventPath, "utf8"));
    const pullRequest = isRecord(event) ? event.pull_request : undefined;
    const number = isRecord(pullRequest) ? pullRequest.number : undefined;
    return typeof number === "number" ? number : undefined;
  } catch {
    return undefined;
  }
}

function describePost(result: PostResult, target: "comment" | "issue"): string {
  if (result.action === "unchanged") return "nothing to report and no open issue: nothing posted";
  const what = target === "issue" ? `${result.action} issue #${result.id}` : `${result.action} comment ${result.id}`;
  return result.url ? `${what}: ${result.url}` : what;
}
