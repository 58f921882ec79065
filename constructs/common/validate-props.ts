import { IConstruct } from "constructs";
import { ConfigurationError, formatProblem, ProblemCollector } from "../../core/problems";

/**
 * Runs a construct's own validation and throws one error listing every
 * problem, each named by the construct's path (`dev/redis: sentinels: …`).
 * Environments run the same checks first, naming their file instead.
 */
export function assertValidProps(scope: IConstruct, check: (problems: ProblemCollector) => void): void {
  const problems = new ProblemCollector();
  check(problems);
  if (problems.problems.length > 0) {
    throw new ConfigurationError(problems.problems.map((problem) => formatProblem(scope.node.path, problem)));
  }
}
