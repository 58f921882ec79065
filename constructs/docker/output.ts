import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";

export interface NamedOutputOptions {
  readonly description: string;
  /** Hidden in plans and `terraform output`; read with `-raw` or `-json`. @default false */
  readonly sensitive?: boolean;
}

/**
 * A stack output under a fixed name (`vault_root_token`), wherever the
 * construct sits: cdktf would otherwise derive the name from the construct
 * path, and the README's `terraform output` commands depend on it.
 */
export function namedOutput(scope: Construct, name: string, value: unknown, options: NamedOutputOptions): TerraformOutput {
  const output = new TerraformOutput(scope, `output-${name}`, { value, description: options.description, sensitive: options.sensitive });
  output.overrideLogicalId(name);
  return output;
}
