/** Reads the workflow and local action files as typed, navigable data. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const ROOT = path.join(__dirname, "..", "..");
export const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
export const ACTIONS_DIR = path.join(ROOT, ".github", "actions");

export type Yaml = Record<string, unknown>;

export function isMap(value: unknown): value is Yaml {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The mapping at `key`; fails the test with the path when it is not one. */
export function map(value: unknown, key: string): Yaml {
  const found = isMap(value) ? value[key] : undefined;
  if (!isMap(found)) throw new Error(`expected a mapping at ${key}, got ${JSON.stringify(found)}`);
  return found;
}

export function list(value: unknown, key: string): unknown[] {
  const found = isMap(value) ? value[key] : undefined;
  if (!Array.isArray(found)) throw new Error(`expected a list at ${key}, got ${JSON.stringify(found)}`);
  return found;
}

export function text(value: unknown, key: string): string {
  const found = isMap(value) ? value[key] : undefined;
  if (typeof found !== "string") throw new Error(`expected a string at ${key}, got ${JSON.stringify(found)}`);
  return found;
}

export function readYaml(file: string): Yaml {
  const parsed: unknown = parse(fs.readFileSync(file, "utf8"));
  if (!isMap(parsed)) throw new Error(`${file} is not a YAML mapping`);
  return parsed;
}

export const workflowFiles = (): string[] =>
  fs
    .readdirSync(WORKFLOWS_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();

export function workflow(name: string): Yaml {
  return readYaml(path.join(WORKFLOWS_DIR, name));
}

export function localAction(name: string): Yaml {
  return readYaml(path.join(ACTIONS_DIR, name, "action.yml"));
}

/** `on:` of a workflow (the YAML key `on` stays a string in YAML 1.2). */
export function triggers(file: Yaml): Yaml {
  return map(file, "on");
}

export interface Step {
  readonly id?: string;
  readonly name?: string;
  /** The step's condition, when it has one. */
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with: Yaml;
  readonly env: Yaml;
}

export function steps(job: Yaml): Step[] {
  return list(job, "steps").map((step) => {
    if (!isMap(step)) throw new Error(`a step is not a mapping: ${JSON.stringify(step)}`);
    return {
      id: typeof step.id === "string" ? step.id : undefined,
      name: typeof step.name === "string" ? step.name : undefined,
      if: typeof step.if === "string" ? step.if : undefined,
      uses: typeof step.uses === "string" ? step.uses : undefined,
      run: typeof step.run === "string" ? step.run : undefined,
      with: isMap(step.with) ? step.with : {},
      env: isMap(step.env) ? step.env : {},
    };
  });
}

/** Every `uses:` with its `with:`, in workflow jobs (steps and reusable calls) and local actions. */
export function allUses(): { where: string; uses: string; with: Yaml }[] {
  const found: { where: string; uses: string; with: Yaml }[] = [];
  for (const name of workflowFiles()) {
    for (const [jobName, job] of Object.entries(map(workflow(name), "jobs"))) {
      const where = `${name} jobs.${jobName}`;
      if (isMap(job) && typeof job.uses === "string") {
        found.push({ where, uses: job.uses, with: isMap(job.with) ? job.with : {} });
        continue;
      }
      for (const step of steps(map({ job }, "job"))) {
        if (step.uses) found.push({ where, uses: step.uses, with: step.with });
      }
    }
  }
  for (const name of fs.readdirSync(ACTIONS_DIR)) {
    for (const step of steps(map(localAction(name), "runs"))) {
      if (step.uses) found.push({ where: `.github/actions/${name}`, uses: step.uses, with: step.with });
    }
  }
  return found;
}
