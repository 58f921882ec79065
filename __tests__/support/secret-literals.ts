/**
 * Finds secrets written literally into synthesized Terraform JSON. A value is
 * acceptable where it is a reference Terraform resolves (`${random_password…}`),
 * a shell or psql variable read at run time (`$password`, `:'password_app'`)
 * or a printf placeholder; anything else next to a secret's name is a finding.
 */

/** Where a secret's value stands in config files, scripts, flags and SQL; group 1 is the value. */
const ASSIGNMENTS: readonly RegExp[] = [
  /(?:^|["'\s])(?:requirepass|masterauth)\s+(\S+)/g,
  /sentinel auth-pass\s+\S+\s+(\S+)/g,
  /(?:password|token-id|token)\s*=\s*(\S+)/gi,
  /\bPASSWORD\s+(\S+)/g,
];
/** What may stand where a secret's value goes: a shell or psql variable, a printf placeholder, an External Secrets template. */
const INDIRECT = /^['"]*(\$|:'|%s|\{\{)/;
/** Comment lines of shell scripts, config files and SQL. */
const COMMENT = /^\s*(#|--)/;
const REFERENCE = /^\$\{[^{}]+\}$/;
const SECRET_NAME = /password|token|secret/i;
const SECRET_FILE = /\/secrets?\//;
const GENERATED = /^\$\{random_password\.[\w-]+\.result\}$/;
const JSON_OF_GENERATED =
  /^\$\{jsonencode\(\{"[^"]+" = random_password\.[\w-]+\.result(, "[^"]+" = random_password\.[\w-]+\.result)*\}\)\}$/;

export interface Finding {
  readonly path: string;
  readonly value: string;
}

export function secretLiterals(json: unknown): Finding[] {
  const findings: Finding[] = [];
  walk(json, [], findings);
  return findings;
}

function walk(node: unknown, path: readonly string[], findings: Finding[]): void {
  const key = path[path.length - 1] ?? "";
  if (key === "//" || key === "description") return;
  if (typeof node === "string") {
    checkString(node, path, findings);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, [...path, String(i)], findings));
    return;
  }
  if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (typeof record.file === "string" && SECRET_FILE.test(record.file) && typeof record.content === "string") {
      // A secret file holds generated values only: a reference, or a JSON map of references.
      if (!GENERATED.test(record.content) && !JSON_OF_GENERATED.test(record.content)) {
        findings.push({ path: [...path, "content"].join("."), value: record.content });
      }
    }
    for (const [child, value] of Object.entries(record)) walk(value, [...path, child], findings);
  }
}

function checkString(value: string, path: readonly string[], findings: Finding[]): void {
  const where = path.join(".");
  // Outside resources (outputs), a value named like a secret may only forward a reference.
  if (path[0] !== "resource" && path.some((segment) => SECRET_NAME.test(segment)) && !REFERENCE.test(value))
    findings.push({ path: where, value });
  for (const line of value.split("\n").filter((candidate) => !COMMENT.test(candidate))) {
    for (const pattern of ASSIGNMENTS) {
      for (const match of line.matchAll(pattern)) {
        if (!INDIRECT.test(match[1])) findings.push({ path: where, value: match[0].trim() });
      }
    }
  }
}
