import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";

/**
 * An output named exactly `name` (not cdktf's hashed id), so
 * `terraform output <name>` and CI scripts can rely on it. Never a secret.
 */
export function endpointOutput(scope: Construct, name: string, value: string, description: string): TerraformOutput {
  const output = new TerraformOutput(scope, name, { value, description });
  output.overrideLogicalId(name);
  return output;
}
