import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";

/**
 * A password Terraform generates once (random_password). Its value exists only
 * in the Terraform state, marked sensitive, never in code or the synthesized
 * JSON. Letters and digits only, like the clusters' generated secrets: symbols
 * break Redis and PostgreSQL connection URLs and shell-quoted config lines.
 */
export function generatedPassword(scope: Construct, id: string): Password {
  return new Password(scope, id, { length: 32, special: false });
}
