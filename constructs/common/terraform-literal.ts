import { Token } from "cdktf";

/**
 * Text Terraform keeps as written. Terraform reads `${` and `%{` in any
 * string as its own template syntax, so a shell script's `${var%:*}` or a
 * SQL script's `%{` would be evaluated (and fail the plan) unless doubled.
 * A string holding a cdktf token is a reference, left as it is.
 */
export function terraformLiteral(text: string): string {
  if (Token.isUnresolved(text)) return text;
  // Replacement functions: in a replacement string, "$$" would itself mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
