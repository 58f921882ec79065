import { TerraformOutput, TerraformStack } from "cdktf";

export interface NamedOutputOptions {
  readonly description: string;
  /** Hidden in plans and `terraform output`; read with `-raw` or `-json`. @default false */
  readonly sensitive?: boolean;
}

/**
 * A stack output under a fixed name (`vault_endpoint`): cdktf would otherwise
 * derive the name from the construct path, and the README's `terraform output`
 * commands and CI scripts depend on it. Outputs belong to stacks, not to
 * service constructs, so that a construct can be used twice in one stack.
 */
export function namedOutput(stack: TerraformStack, name: string, value: unknown, options: NamedOutputOptions): TerraformOutput {
  const output = new TerraformOutput(stack, `output-${name}`, { value, description: options.description, sensitive: options.sensitive });
  output.overrideLogicalId(name);
  return output;
}
