import { parser } from "@prometheus-io/lezer-promql";

/**
 * Where a PromQL expression does not parse, by Prometheus' own grammar (the
 * one its UI uses); empty when it does. Names of metrics are not checked:
 * Prometheus accepts any.
 */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}
