import * as fs from "fs";
import { errorMessage } from "./error-message";
import { isRecord } from "./is-record";
import { Plan } from "./plan-json";

/** What every plan file must be; repeated in each error so the fix is next to the problem. */
export const EXPECTED_INPUT = "expected the output of `terraform show -json <planfile>`";

/** Plan JSON major version this tool reads; minor versions only add properties. */
export const SUPPORTED_FORMAT_MAJOR = "1";

/** Stops a run before anything is rendered; lists the problems of every input at once. */
export class PlanInputError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(
      `${problems.length} input problem${problems.length === 1 ? "" : "s"}; nothing was reported:\n` +
        problems.map((problem) => `  ${problem}`).join("\n"),
    );
    this.name = "PlanInputError";
  }
}

export interface PlanSource {
  /** Stack name shown in the report, e.g. `dev`. */
  readonly stack: string;
  readonly file: string;
}

export interface LoadedPlan extends PlanSource {
  readonly plan: Plan;
  /** No plan file: the stack's plan job failed. Its `plan` is empty, so it counts nothing. */
  readonly missing?: boolean;
}

export interface LoadOptions {
  /**
   * Report a plan file that does not exist as a failed plan instead of an
   * input error, so that a comment never keeps showing an older plan.
   * @default false
   */
  readonly allowMissing?: boolean;
}

/** Reads and checks every plan; throws one PlanInputError naming each bad file. */
export function loadPlans(sources: readonly PlanSource[], options: LoadOptions = {}): LoadedPlan[] {
  const loaded: LoadedPlan[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    if (options.allowMissing && !fs.existsSync(source.file)) {
      loaded.push({ ...source, plan: { format_version: `${SUPPORTED_FORMAT_MAJOR}.0` }, missing: true });
      continue;
    }
    const result = readPlan(source.file);
    if (typeof result === "string") problems.push(`${source.file} (stack ${source.stack}): ${result}`);
    else loaded.push({ ...source, plan: result });
  }
  if (problems.length > 0) throw new PlanInputError(problems);
  return loaded;
}

/** The plan in `file`, or what is wrong with it. */
export function readPlan(file: string): Plan | string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return `cannot be read (${describeReadError(error)}); ${EXPECTED_INPUT}`;
  }
  return parsePlan(bytes);
}

/** The plan in `bytes`, or what is wrong with it. */
export function parsePlan(bytes: Buffer): Plan | string {
  // A binary plan is a zip archive; piping it instead of its JSON is the usual slip.
  if (bytes.subarray(0, 4).toString("latin1") === "PK\x03\x04") {
    return `is a binary plan file (from \`terraform plan -out\`), not its JSON; run \`terraform show -json <planfile> > plan.json\` and pass plan.json`;
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") return `is empty; ${EXPECTED_INPUT}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // One line per problem: the parser quotes the input, newlines included.
    const reason = errorMessage(error).replace(/\s+/g, " ");
    const looksLikeText = /Terraform (will perform|used the selected providers)|No changes\./.test(text);
    const hint = looksLikeText ? "; it is Terraform's human-readable plan output" : "";
    return `is not JSON (${reason})${hint}; ${EXPECTED_INPUT}`;
  }
  if (!isRecord(parsed)) return `is ${describeJsonType(parsed)} in JSON, not an object; ${EXPECTED_INPUT}`;
  if ("lineage" in parsed || ("serial" in parsed && "resources" in parsed)) {
    return `is a Terraform state file (state version ${String(parsed.version)}), not a plan; ${EXPECTED_INPUT}`;
  }
  const version = parsed.format_version;
  if (typeof version !== "string") {
    return `has no format_version, so it is not Terraform's plan JSON; ${EXPECTED_INPUT}`;
  }
  if (version.split(".")[0] !== SUPPORTED_FORMAT_MAJOR) {
    return `has format_version "${version}", which this tool does not read (it reads ${SUPPORTED_FORMAT_MAJOR}.x, written by Terraform 1.x); ${EXPECTED_INPUT}`;
  }
  if (!("planned_values" in parsed) && !("resource_changes" in parsed)) {
    const what = "values" in parsed ? "the JSON of a state (`terraform show -json` without a plan file)" : "not a plan";
    return `is ${what}: it has no planned_values or resource_changes; ${EXPECTED_INPUT}`;
  }
  const problems = [...checkChanges(parsed.resource_changes, "resource_changes"), ...checkChanges(parsed.resource_drift, "resource_drift")];
  if (problems.length > 0) return `is not a well-formed plan: ${summarize(problems)}; ${EXPECTED_INPUT}`;
  // Every property the report reads has been checked above; the rest is JSON, read as JsonValue.
  return parsed as unknown as Plan;
}

function checkChanges(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${field} is ${describeJsonType(value)}, not an array`];
  const problems: string[] = [];
  value.forEach((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(entry)) return void problems.push(`${at} is ${describeJsonType(entry)}, not an object`);
    for (const key of ["address", "type", "name"]) {
      if (typeof entry[key] !== "string") {
        problems.push(`${at}.${key} is ${describeJsonType(entry[key])}, not a string`);
      }
    }
    const change = entry.change;
    if (!isRecord(change)) return void problems.push(`${at}.change is ${describeJsonType(change)}, not an object`);
    const actions = change.actions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every((action) => typeof action === "string")) {
      problems.push(`${at}.change.actions is ${JSON.stringify(actions) ?? "missing"}, not a list of action names`);
    }
    for (const key of ["before_sensitive", "after_sensitive", "after_unknown"]) {
      if (change[key] !== undefined && !isMarks(change[key])) {
        problems.push(`${at}.change.${key} is not made of true, false, lists and objects`);
      }
    }
    const paths = change.replace_paths;
    if (paths !== undefined && !(Array.isArray(paths) && paths.every(isAttributePath))) {
      problems.push(`${at}.change.replace_paths is not a list of attribute paths`);
    }
    if (entry.previous_address !== undefined && typeof entry.previous_address !== "string") {
      problems.push(`${at}.previous_address is ${describeJsonType(entry.previous_address)}, not a string`);
    }
    if (change.importing !== undefined && !isRecord(change.importing)) {
      problems.push(`${at}.change.importing is ${describeJsonType(change.importing)}, not an object`);
    }
  });
  return problems;
}

/** Sensitive and unknown marks: booleans, in lists and objects shaped like the value. */
function isMarks(value: unknown): boolean {
  if (typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every(isMarks);
  return isRecord(value) && Object.values(value).every(isMarks);
}

function isAttributePath(value: unknown): boolean {
  return Array.isArray(value) && value.every((step) => typeof step === "string" || typeof step === "number");
}

/** At most three problems per file: enough to see the pattern, short enough to read. */
function summarize(problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join("; ");
  return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
}

function describeReadError(error: unknown): string {
  const code = isRecord(error) ? error.code : undefined;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return errorMessage(error);
}

function describeJsonType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
