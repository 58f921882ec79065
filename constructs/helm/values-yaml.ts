/**
 * Writes Helm values as YAML that reads well in a Terraform plan: block
 * style, multi-line strings as literal blocks, no anchors or aliases. Values
 * are plain JSON data (objects, arrays, strings, numbers, booleans, null), so
 * a small emitter suffices; it is several times faster than a general YAML
 * library, which matters because every release of every stack goes through it.
 *
 * Scalars are quoted unless they are unambiguous under both YAML 1.1 (Helm's
 * parser: `yes`, `on` and `0777` mean other things there) and YAML 1.2.
 */
export type ValuesData = null | boolean | number | string | readonly ValuesData[] | { readonly [key: string]: ValuesData | undefined };

export function valuesYaml(values: object): string {
  const lines: string[] = [];
  if (isEmpty(values)) return Array.isArray(values) ? "[]\n" : "{}\n";
  writeNode(values as ValuesData, 0, lines);
  return lines.join("\n") + "\n";
}

/** Words YAML 1.1 reads as booleans or null. */
const RESERVED = /^(y|n|yes|no|true|false|on|off|null|~)$/i;
/** Text that stays a string unquoted: starts with a letter or `_`, no characters YAML treats specially. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_\-./]*$/;

function scalar(value: null | boolean | number | string): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Helm values cannot hold ${value}`);
    return String(value);
  }
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

/** A multi-line string as a literal block; undefined when it needs quoting instead. */
function literalBlock(value: string, indent: number): string[] | undefined {
  if (!value.includes("\n") || /[\r\t]|[^\n -~\u00a0-\uffff]/.test(value)) return undefined;
  const body = value.replace(/\n+$/, "");
  const trailing = value.length - body.length;
  if (body.split("\n").some((line) => / $/.test(line))) return undefined; // trailing spaces would be lost in review
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const indicator = body.startsWith(" ") || body.startsWith("\n") ? "2" : "";
  const pad = " ".repeat(indent + 2);
  const lines = body.split("\n").map((line) => (line === "" ? "" : pad + line));
  for (let i = 1; i < trailing && chomp === "+"; i++) lines.push("");
  return [`|${indicator}${chomp}`, ...lines];
}

function isEmpty(value: object): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : Object.keys(value).every((key) => (value as Record<string, unknown>)[key] === undefined);
}

/** Writes `value` as the content of a mapping entry or sequence item at `indent`. */
function writeNode(value: ValuesData, indent: number, lines: string[]): void {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value as readonly ValuesData[]) writeItem(item, indent, lines);
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, ValuesData | undefined>)) {
    if (child === undefined) continue;
    writeEntry(`${pad}${scalar(key)}:`, child, indent, lines);
  }
}

function writeEntry(prefix: string, child: ValuesData, indent: number, lines: string[]): void {
  if (child !== null && typeof child === "object") {
    if (isEmpty(child)) {
      lines.push(`${prefix} ${Array.isArray(child) ? "[]" : "{}"}`);
    } else {
      lines.push(prefix);
      // Sequences under a key sit at the key's indentation, as kubectl and Helm write them.
      writeNode(child, Array.isArray(child) ? indent : indent + 2, lines);
    }
    return;
  }
  const block = typeof child === "string" ? literalBlock(child, indent) : undefined;
  if (block) {
    lines.push(`${prefix} ${block[0]}`, ...block.slice(1));
  } else {
    lines.push(`${prefix} ${scalar(child)}`);
  }
}

function writeItem(item: ValuesData, indent: number, lines: string[]): void {
  const pad = " ".repeat(indent);
  if (item !== null && typeof item === "object" && !isEmpty(item)) {
    if (Array.isArray(item)) {
      lines.push(`${pad}-`);
      writeNode(item, indent + 2, lines);
      return;
    }
    // The first entry shares the dash's line; the rest align under it.
    const start = lines.length;
    writeNode(item, indent + 2, lines);
    lines[start] = `${pad}- ${lines[start].slice(indent + 2)}`;
    return;
  }
  writeEntry(`${pad}-`, item, indent, lines);
}
