import { ENVIRONMENTS } from "../../environments";
import { isEnabled } from "../../constructs/services";
import { terraformLiteral } from "../../constructs/common/terraform-literal";
import { SynthesizedStack, synthEnvironment, synthVaultStack } from "../support/synth";

/**
 * Terraform evaluates `${…}` and `%{…}` in every string of the JSON. The
 * platform writes only references to what the stack declares and function
 * calls; anything else (a shell script's `${var%:*}`) fails the plan, or
 * worse, is evaluated.
 */
function strayTemplates(stack: SynthesizedStack): string[] {
  const declared = new Set(Object.keys(stack.parsed.resource ?? {}));
  const stray: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${path}[${index}]`));
    if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
      return;
    }
    if (typeof value !== "string") return;
    for (const match of value.matchAll(/(?<![$%])([$%])\{([^}]*)/g)) {
      const [, sigil, expression] = match;
      const root = /^\s*([A-Za-z_][A-Za-z0-9_-]*)(\.|\()/.exec(expression);
      const reference = root !== null && (root[2] === "(" || declared.has(root[1]) || ["data", "var", "local"].includes(root[1]));
      if (sigil === "%" || !reference) stray.push(`${path}: ${sigil}{${expression.slice(0, 40)}`);
    }
  };
  visit(stack.parsed, "");
  return stray;
}

describe("every ${ and %{ in the synthesized JSON is a Terraform reference or function the platform meant", () => {
  test.each(ENVIRONMENTS.map((source) => [source.config.name, source.config]))("%s", (_name, config) => {
    expect(strayTemplates(synthEnvironment(config))).toEqual([]);
    if (config.target === "kubernetes" && isEnabled(config.services ?? {}, "vault")) {
      expect(strayTemplates(synthVaultStack(config))).toEqual([]);
    }
  });

  test("the check sees a shell parameter expansion, and terraformLiteral keeps it as text", () => {
    const script = 'host="${sentinel%:*}"; for x in %{ if true }';
    const stack = (content: string) => ({ json: "", parsed: { terraform: { backend: {} }, resource: { x: { y: { content } } } } });
    expect(strayTemplates(stack(script))).toEqual([".resource.x.y.content: ${sentinel%:*", ".resource.x.y.content: %{ if true "]);
    expect(strayTemplates(stack(terraformLiteral(script)))).toEqual([]);
    expect(terraformLiteral(script)).toBe('host="$${sentinel%:*}"; for x in %%{ if true }');
  });
});
