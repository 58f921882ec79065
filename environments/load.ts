import * as fs from "fs";
import * as path from "path";
import { projectPath } from "../constructs/project-paths";
import { ConfigurationError, formatProblem } from "../core/problems";
import { TIERS } from "../core/tiers";
import { EnvironmentConfig } from "./types";

/** An environment and the file it is declared in, so errors can point at it. */
export interface EnvironmentSource {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * Files of environments/ that hold what environments share, not an
 * environment. Every other `environments/<name>.ts` is the environment
 * `<name>`: its default export is its EnvironmentConfig.
 */
export const LIBRARY_FILES: readonly string[] = [
  "index.ts",
  "load.ts",
  "types.ts",
  "schema.ts",
  "validate.ts",
  "shared.ts",
  "teams.ts",
  "docker-rules.ts",
  "capacity.ts",
];

/**
 * Every environment declared in environments/, in promotion order (by tier,
 * laptops before clusters, then by name). Adding an environment is adding its
 * file: nothing registers it.
 */
export function loadEnvironments(): EnvironmentSource[] {
  const directory = projectPath("environments");
  const files = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !LIBRARY_FILES.includes(file))
    .sort();
  const problems: string[] = [];
  const sources: EnvironmentSource[] = [];
  for (const file of files) {
    const where = `environments/${file}`;
    // A literal prefix and suffix let esbuild bundle every file this can name; an import() would be async.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = (require(`./${path.basename(file, ".ts")}.ts`) as { default?: unknown }).default;
    if (typeof exported !== "object" || exported === null || Array.isArray(exported)) {
      problems.push(
        formatProblem(where, {
          path: "",
          message: "the file declares no environment",
          got: exported === undefined ? undefined : typeof exported,
          fix: `export its EnvironmentConfig as the default: \`export default ${path.basename(file, ".ts")};\`, or, for shared code, add the file to LIBRARY_FILES in environments/index.ts`,
        }),
      );
      continue;
    }
    sources.push({ file: where, config: exported as EnvironmentConfig });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return sources.sort(byPromotionOrder);
}

/** development < staging < production; within a tier the laptop first, then by name. */
function byPromotionOrder(a: EnvironmentSource, b: EnvironmentSource): number {
  const rank = (source: EnvironmentSource) => {
    const tier = TIERS.indexOf(source.config.tier);
    return [tier < 0 ? TIERS.length : tier, source.config.target === "docker" ? 0 : 1] as const;
  };
  const [tierA, targetA] = rank(a);
  const [tierB, targetB] = rank(b);
  return tierA - tierB || targetA - targetB || a.config.name.localeCompare(b.config.name);
}
