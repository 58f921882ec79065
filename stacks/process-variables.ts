import { formatProblem, Problem } from "../core/problems";

/**
 * The environment variables the program reads, each with exactly the values
 * it documents. Anything else is refused by name: `PLATFORM_LOCAL_STATE=true`
 * must not silently mean "shared state", and a misspelled PLATFORM_ variable
 * must not be ignored.
 */
export interface ProcessVariable {
  readonly name: string;
  /** Accepted values and what each does ("to …", "for …"); unset and empty mean the same as "0". */
  readonly values: Readonly<Record<"1" | "0", string>>;
}

/** Switches every stack to local state files (docs/state.md). Read by runSynth. */
export const LOCAL_STATE_VARIABLE: ProcessVariable = {
  name: "PLATFORM_LOCAL_STATE",
  values: { "1": "to keep every stack's state in a local file terraform.<stack>.tfstate", "0": "for the state each environment declares" },
};

/** Turns cdktf's per-token stack traces back on in the bundle (scripts/shims/token-stack-trace.js). */
export const TOKEN_STACK_TRACES_VARIABLE: ProcessVariable = {
  name: "CDKTF_TOKEN_STACK_TRACES",
  values: { "1": "to record a stack trace per token, for debugging token errors", "0": "for none, which is faster" },
};

export const PROCESS_VARIABLES: readonly ProcessVariable[] = [LOCAL_STATE_VARIABLE, TOKEN_STACK_TRACES_VARIABLE];

/** Variables under our prefix that are none of ours: most likely a typo. */
const OUR_PREFIX = /^PLATFORM_/;

/** Problems with the process environment, in the project's format (`environment variable: NAME: …`). */
export function processVariableProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: Problem[] = [];
  for (const variable of PROCESS_VARIABLES) {
    const value = env[variable.name];
    if (value === undefined || value === "" || value in variable.values) continue;
    problems.push({
      path: variable.name,
      message: "is not one of its documented values",
      got: value,
      fix: `use ${describeValues(variable)}`,
    });
  }
  for (const name of Object.keys(env)) {
    if (!OUR_PREFIX.test(name) || PROCESS_VARIABLES.some((variable) => variable.name === name)) continue;
    problems.push({
      path: name,
      message: "is not a variable the program reads",
      got: env[name],
      fix: `unset it; the program reads ${PROCESS_VARIABLES.map((variable) => variable.name).join(" and ")}`,
    });
  }
  return problems.map((problem) => formatProblem("environment variable", problem));
}

function describeValues(variable: ProcessVariable): string {
  return `1 ${variable.values["1"]}, or 0 or unset ${variable.values["0"]}`;
}

/** Whether a documented on/off variable is on; call after processVariableProblems found nothing. */
export function isOn(env: Readonly<Record<string, string | undefined>>, variable: ProcessVariable): boolean {
  return env[variable.name] === "1";
}
