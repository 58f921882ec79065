/**
 * Collects configuration problems so that one run reports all of them, each
 * naming the field, the value received and how to fix it.
 */

/** One broken rule in one field. */
export interface Problem {
  /** Field path inside the environment, e.g. `nodePools[0].maxNodes`. */
  readonly path: string;
  /** What is wrong, e.g. `desiredNodes is above maxNodes`. */
  readonly message: string;
  /** The value received. */
  readonly got: unknown;
  /** What is allowed, or how to fix it. */
  readonly fix: string;
}

/** Problems of one field subtree; `at` narrows to a child path. */
export class ProblemCollector {
  private readonly items: Problem[];

  constructor(
    private readonly prefix = "",
    items?: Problem[],
  ) {
    this.items = items ?? [];
  }

  /** A collector that records into the same list under `prefix.child`. */
  public at(child: string | number): ProblemCollector {
    const path = typeof child === "number" ? `${this.prefix}[${child}]` : joinPath(this.prefix, child);
    return new ProblemCollector(path, this.items);
  }

  /** Records a problem at `field` below this collector's path. */
  public add(field: string, message: string, got: unknown, fix: string): void {
    this.items.push({ path: joinPath(this.prefix, field), message, got, fix });
  }

  /** Records a problem when `condition` is false; returns `condition`. */
  public check(condition: boolean, field: string, message: string, got: unknown, fix: string): boolean {
    if (!condition) this.add(field, message, got, fix);
    return condition;
  }

  public get problems(): readonly Problem[] {
    return this.items;
  }
}

/** Thrown before anything is synthesized when any environment is invalid. */
export class ConfigurationError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(
      `${lines.length} configuration problem${lines.length === 1 ? "" : "s"}; nothing was synthesized:\n` +
        lines.map((line) => `  ${line}`).join("\n"),
    );
    this.name = "ConfigurationError";
  }
}

/** `<file>: <path>: <message> (got <value>; <fix>)` */
export function formatProblem(file: string, problem: Problem): string {
  const where = problem.path === "" ? file : `${file}: ${problem.path}`;
  return `${where}: ${problem.message} (got ${formatValue(problem.got)}; ${problem.fix})`;
}

/** Longer values are cut: a whole environment object would bury the message. */
const MAX_VALUE_LENGTH = 120;

export function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= MAX_VALUE_LENGTH ? text : `${text.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}

function joinPath(prefix: string, field: string): string {
  if (field === "") return prefix;
  return prefix === "" ? field : `${prefix}.${field}`;
}
