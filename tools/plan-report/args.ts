import { parseArgs, ParseArgsConfig } from "util";
import { errorMessage } from "./error-message";
import { PlanSource } from "./load-plan";

/** When the run exits with status 2, for CI to act on. */
export const FAIL_ON = ["destroy", "drift", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CliOptions {
  readonly plans: readonly PlanSource[];
  /** @default - standard output */
  readonly out?: string;
  readonly title?: string;
  readonly marker: string;
  readonly detailsUrl?: string;
  readonly maxBytes?: number;
  readonly failOn: FailOn;
  /** Report a missing plan file as a failed plan (exit 1 after reporting). */
  readonly allowMissing: boolean;
  readonly post: boolean;
  /** Pull request (or issue) number to comment on. @default - from GITHUB_EVENT_PATH */
  readonly pr?: number;
  /** Label added to the pull request while it deletes or replaces something, removed otherwise. */
  readonly destroyLabel?: string;
  /** Post to an issue with this title (opened while `--fail-on` is met, closed after) instead of a comment. */
  readonly issueTitle?: string;
  readonly issueLabels: readonly string[];
}

export const USAGE = `usage: npm run plan-report -- [options] <stack>=<plan.json> [<stack>=<plan.json> ...]

Renders the JSON of \`terraform show -json <planfile>\` of each stack as one Markdown comment.

  --out <file>            write the Markdown to a file (default: standard output)
  --title <text>          heading (default: "Terraform plan")
  --marker <name>         hidden marker that identifies the comment (default: plan-report)
  --details-url <url>     link to the full plans (the workflow run with the plan artifacts)
  --max-bytes <n>         size limit of the comment (default: 64000, below GitHub's 65,536);
                          a limit below the marker, heading and shortening note is an error
  --fail-on <when>        exit 2 when: destroy (deletes or replacements, the default),
                          drift (changes outside Terraform or not applied), never
  --allow-missing         a plan file that does not exist (its plan job failed) is
                          reported as "no plan" and the run exits 1 after reporting
  --post                  create or update the comment through the GitHub API
                          (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL)
  --pr <number>           pull request to comment on (default: from GITHUB_EVENT_PATH)
  --destroy-label <name>  with --post: label the pull request while it deletes something
  --issue <title>         with --post: open or update an issue while --fail-on is met,
                          close it when it is not, instead of commenting on a pull request
  --issue-label <name>    with --issue: label of the issue (repeatable)
  -h, --help              print this help and exit

Exit status: 0 report written; 2 report written and --fail-on met; 1 bad input, a missing
plan (with --allow-missing, after reporting it) or a failed post.`;

/** Thrown for arguments that cannot work; every problem at once. */
export class UsageError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`${problems.map((problem) => `plan-report: ${problem}`).join("\n")}\n\n${USAGE}`);
    this.name = "UsageError";
  }
}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// `--` would end the HTML comment the marker lives in.
const MARKER = /^[A-Za-z0-9][A-Za-z0-9_.:/]*(-[A-Za-z0-9_.:/]+)*$/;

/** Every option the command accepts; the usage text documents each (a test checks). */
export const OPTIONS = {
  help: { type: "boolean", short: "h", default: false },
  out: { type: "string" },
  title: { type: "string" },
  marker: { type: "string", default: "plan-report" },
  "details-url": { type: "string" },
  "max-bytes": { type: "string" },
  "fail-on": { type: "string", default: "destroy" },
  "allow-missing": { type: "boolean", default: false },
  post: { type: "boolean", default: false },
  pr: { type: "string" },
  "destroy-label": { type: "string" },
  issue: { type: "string" },
  "issue-label": { type: "string", multiple: true, default: [] },
} satisfies ParseArgsConfig["options"];

/**
 * `--help` or `-h` anywhere before `--`, whatever else is on the line: asking
 * for help never ends in an error about the other arguments.
 */
export function wantsHelp(argv: readonly string[]): boolean {
  const { tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: OPTIONS,
  });
  return tokens.some((token) => token.kind === "option" && token.name === "help");
}

/** Node's parser; an unknown option or a missing value becomes a UsageError. */
function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError([errorMessage(error)]);
  }
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const parsed = parse(argv);
  const { values, positionals } = parsed;
  const problems: string[] = [];

  if (positionals.length === 0) problems.push("no plans given; pass <stack>=<plan.json> for each stack");
  const plans: PlanSource[] = [];
  for (const argument of positionals) {
    const at = argument.indexOf("=");
    const stack = at > 0 ? argument.slice(0, at) : "";
    const file = at > 0 ? argument.slice(at + 1) : "";
    if (!STACK_NAME.test(stack) || file === "") {
      problems.push(`"${argument}" is not <stack>=<plan.json> (e.g. dev=plans/dev.json)`);
    } else if (plans.some((plan) => plan.stack === stack)) {
      problems.push(`stack "${stack}" is given twice; pass one plan per stack`);
    } else {
      plans.push({ stack, file });
    }
  }

  const failOn = FAIL_ON.find((when) => when === values["fail-on"]);
  if (failOn === undefined) {
    problems.push(`--fail-on "${values["fail-on"]}" is not one of ${FAIL_ON.join(", ")}`);
  }
  if (!MARKER.test(values.marker)) {
    problems.push(`--marker "${values.marker}" may hold letters, digits and _ . : / - (no "--")`);
  }
  const maxBytes = positiveInteger(values["max-bytes"], "--max-bytes", problems);
  const pr = positiveInteger(values.pr, "--pr", problems);
  if (values.issue !== undefined && values.issue.trim() === "") problems.push("--issue needs a title");
  for (const [flag, given] of [
    ["--pr", values.pr],
    ["--destroy-label", values["destroy-label"]],
    ["--issue", values.issue],
  ] as const) {
    if (given !== undefined && !values.post) problems.push(`${flag} only makes sense with --post`);
  }
  if (values.issue !== undefined && (values.pr !== undefined || values["destroy-label"] !== undefined)) {
    problems.push("--issue posts to an issue; it cannot be combined with --pr or --destroy-label");
  }
  if (problems.length > 0 || failOn === undefined) throw new UsageError(problems);

  return {
    plans,
    out: values.out,
    title: values.title,
    marker: values.marker,
    detailsUrl: values["details-url"],
    maxBytes,
    failOn,
    allowMissing: values["allow-missing"],
    post: values.post,
    pr,
    destroyLabel: values["destroy-label"],
    issueTitle: values.issue,
    issueLabels: values["issue-label"],
  };
}

function positiveInteger(text: string | undefined, flag: string, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${flag} "${text}" is not a positive whole number`);
    return undefined;
  }
  return value;
}
