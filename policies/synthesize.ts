import { App } from "cdktf";
import { checkPolicies, formatPolicyReport, PolicyReport } from "./report";

/**
 * Checks every stack's policies, prints the report (when there is anything
 * to say), and synthesizes only when no error stands: a violation anywhere
 * writes no stack at all. Returns the report.
 */
export function synthesizeChecked(app: App, print: (text: string) => void): PolicyReport {
  const report = checkPolicies(app);
  const text = formatPolicyReport(report);
  if (text !== "") print(text);
  if (report.errors.length === 0) app.synth();
  return report;
}
