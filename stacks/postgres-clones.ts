import * as fs from "fs";
import { PostgresCloneInput, resolveCloneSource } from "../constructs/postgres/clone";
import { resolvePostgres } from "../constructs/postgres/spec";
import { projectPath } from "../constructs/project-paths";
import { ConfigurationError, formatProblem, ProblemCollector } from "../core/problems";
import { EnvironmentSource } from "../environments/load";
import { cloneSourceEnvironments, validateClones } from "../environments/validate";

/**
 * What the `Postgres` construct of an environment needs for its clones: each
 * clone's source, resolved from the other environments' declarations, and
 * its sanitising scripts' SQL, read from the repository here (constructs
 * read no files). `environments` are every environment of the app; the one
 * being built is `source`, which replaces its namesake among them. Throws the
 * clone rules' problems, named by the environment's file.
 */
export function postgresCloneInputs(
  source: EnvironmentSource,
  environments: readonly EnvironmentSource[],
): Readonly<Record<string, PostgresCloneInput>> {
  const config = source.config;
  const all = environments.some((other) => other.config.name === config.name)
    ? environments.map((other) => (other.config.name === config.name ? source : other))
    : [...environments, source];
  const viewed = cloneSourceEnvironments(all);
  const problems = validateClones(config, viewed);
  if (problems.problems.length > 0) throw new ConfigurationError(problems.problems.map((problem) => formatProblem(source.file, problem)));
  const postgres = viewed.find((environment) => environment.name === config.name)?.postgres;
  if (postgres === undefined) return {};
  const inputs: Record<string, PostgresCloneInput> = {};
  for (const cluster of resolvePostgres(postgres).clusters) {
    const clone = cluster.cloneFrom;
    if (clone === undefined) continue;
    const resolved = resolveCloneSource(clone, config.name, viewed, new ProblemCollector());
    if (resolved === undefined) continue;
    inputs[cluster.name] = {
      source: resolved,
      scripts: clone.sanitise.map((script) => ({
        file: script.file,
        database: script.database,
        sql: fs.readFileSync(projectPath(script.file), "utf8"),
      })),
    };
  }
  return inputs;
}
