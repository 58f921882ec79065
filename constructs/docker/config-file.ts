/** A configuration file or script from its lines, ending with a newline as editors and shells expect. */
export function configFile(lines: readonly string[]): string {
  return `${lines.join("\n")}\n`;
}
