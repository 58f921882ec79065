/**
 * What Renovate's regex custom managers extract from the repository, computed
 * the way Renovate does it (lib/modules/manager/custom/regex: every matchString
 * compiled with the "g" flag only, run over the whole file; named groups fill
 * depName, currentValue, registryUrl …; a `<field>Template` wins over its group),
 * and the pins the code really holds, found independently with the TypeScript
 * parser. The test compares the two.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface CustomManager {
  readonly customType: string;
  readonly description?: readonly string[] | string;
  readonly managerFilePatterns: readonly string[];
  readonly matchStrings: readonly string[];
  readonly matchStringsStrategy?: string;
  readonly [template: `${string}Template`]: string | undefined;
}

export interface PackageRule {
  readonly description?: readonly string[] | string;
  readonly matchPackageNames?: readonly string[];
  readonly matchDatasources?: readonly string[];
  readonly groupName?: string;
  readonly enabled?: boolean;
  readonly allowedVersions?: string;
}

export interface RenovateConfig {
  readonly extends?: readonly string[];
  readonly packageRules?: readonly PackageRule[];
  readonly customManagers?: readonly CustomManager[];
}

export function readRenovateConfig(): RenovateConfig {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8")) as RenovateConfig;
}

/** The fields a regex manager fills, from a named group or a `<field>Template` (Renovate's validMatchFields). */
export const MATCH_FIELDS = [
  "depName",
  "packageName",
  "currentValue",
  "currentDigest",
  "datasource",
  "versioning",
  "extractVersion",
  "registryUrl",
  "depType",
  "indentation",
] as const;
type MatchField = (typeof MATCH_FIELDS)[number];

export type Dependency = Partial<Record<MatchField, string>> & { readonly file: string; readonly manager: number };

/** Files of the repository, relative to ROOT with '/' separators, without dependencies and build output. */
export function repositoryFiles(root: string = ROOT): string[] {
  const skip = new Set(["node_modules", "dist", "cdktf.out", "coverage", ".bench", ".git", ".terraform"]);
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const relative = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.isFile()) found.push(relative);
    }
  };
  walk("");
  return found.sort();
}

/** A managerFilePatterns entry: this config uses the `/regex/` form only (a glob would need minimatch's rules). */
export function filePattern(pattern: string): RegExp {
  const match = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (!match) throw new Error(`managerFilePatterns entry ${pattern} is not a /regex/; the test only understands that form`);
  return new RegExp(match[1], match[2]);
}

/**
 * Constructs RE2 does not have (Renovate runs matchStrings with RE2): lookahead, lookbehind,
 * backreferences. Empty when the pattern uses none of them.
 */
export function re2Problems(pattern: string): string[] {
  const problems: string[] = [];
  if (/\(\?[=!]/.test(pattern)) problems.push("lookahead");
  if (/\(\?<[=!]/.test(pattern)) problems.push("lookbehind");
  if (/\\[1-9]|\\k</.test(pattern)) problems.push("backreference");
  return problems;
}

/** Handlebars as the templates here use it: `{{{name}}}` and `{{name}}`, nothing else. */
export function renderTemplate(template: string, groups: Readonly<Record<string, string | undefined>>): string {
  const rendered = template.replace(/\{\{\{?\s*([A-Za-z_][\w]*)\s*\}?\}\}/g, (_whole, name: string) => {
    const value = groups[name];
    if (value === undefined) throw new Error(`template ${template} names the group ${name}, which the match did not set`);
    return value;
  });
  if (rendered.includes("{{")) throw new Error(`template ${template} uses Handlebars beyond {{{name}}}; extend renderTemplate first`);
  return rendered;
}

/** Renovate's extraction with the default strategy ("any"): every match of every matchString is a dependency. */
export function extract(config: RenovateConfig, files: readonly string[], read: (file: string) => string): Dependency[] {
  const dependencies: Dependency[] = [];
  (config.customManagers ?? []).forEach((manager, index) => {
    if (manager.customType !== "regex") throw new Error(`customManagers[${index}]: only regex managers are emulated`);
    if ((manager.matchStringsStrategy ?? "any") !== "any") throw new Error(`customManagers[${index}]: only the "any" strategy is emulated`);
    const patterns = manager.managerFilePatterns.map(filePattern);
    for (const file of files.filter((name) => patterns.some((pattern) => pattern.test(name)))) {
      const content = read(file);
      for (const matchString of manager.matchStrings) {
        for (const match of content.matchAll(new RegExp(matchString, "g"))) {
          const groups = match.groups ?? {};
          const fields: Partial<Record<MatchField, string>> = {};
          for (const field of MATCH_FIELDS) {
            const template = manager[`${field}Template`];
            const value = template !== undefined ? renderTemplate(template, groups) : groups[field];
            if (value) fields[field] = value;
          }
          dependencies.push({ ...fields, file, manager: index });
        }
      }
    }
  });
  return dependencies;
}

export interface ChartPin {
  readonly file: string;
  readonly line: number;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
}

export interface ImagePin {
  readonly file: string;
  readonly line: number;
  readonly image: string;
}

/** A string that names a container image with an exact-looking tag: `redis:8.10.1`, `ghcr.io/x/y:18.4-suffix`. */
export const PINNED_IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*:v?\d+(?:\.\d+)+[\w.-]*$/;

/**
 * The pins the code holds, read with the TypeScript parser: every object literal
 * with string-literal `chart`, `repository` and `version` properties (a chart from a
 * repository; local charts have no repository), and every string literal that names an
 * image with a release tag. Also reports ChartSource constants whose fields are not
 * literals, which no regex could follow.
 */
export function pinsInCode(
  files: readonly string[],
  read: (file: string) => string,
): { charts: ChartPin[]; images: ImagePin[]; untrackable: string[] } {
  const charts: ChartPin[] = [];
  const images: ImagePin[] = [];
  const untrackable: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const literalProperties = (node: ts.ObjectLiteralExpression): Map<string, string> => {
      const properties = new Map<string, string>();
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isStringLiteralLike(property.initializer)) {
          properties.set(property.name.text, property.initializer.text);
        }
      }
      return properties;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const properties = literalProperties(node);
        const chart = properties.get("chart");
        const repository = properties.get("repository");
        const version = properties.get("version");
        if (chart !== undefined && repository !== undefined && version !== undefined) {
          charts.push({ file, line: lineOf(node), chart, repository, version });
        }
      }
      if (
        ts.isVariableDeclaration(node) &&
        node.type &&
        ts.isTypeReferenceNode(node.type) &&
        node.type.typeName.getText(source) === "ChartSource"
      ) {
        const init = node.initializer;
        const properties = init && ts.isObjectLiteralExpression(init) ? literalProperties(init) : new Map<string, string>();
        if (!["chart", "repository", "version"].every((name) => properties.has(name))) {
          untrackable.push(
            `${file}:${lineOf(node)}: ${node.name.getText(source)} is a ChartSource without literal chart, repository and version`,
          );
        }
      }
      if (ts.isStringLiteralLike(node) && PINNED_IMAGE.test(node.text)) images.push({ file, line: lineOf(node), image: node.text });
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { charts, images, untrackable };
}

/** `https://host/` and `https://host` are one repository (Renovate stores the URL's normal form). */
function sameUrl(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/** Whether an extracted dependency is Renovate's view of this chart pin. */
export function tracksChart(dependency: Dependency, pin: ChartPin): boolean {
  if (dependency.file !== pin.file || dependency.depName !== pin.chart || dependency.currentValue !== pin.version) return false;
  if (pin.repository.startsWith("oci://")) {
    return (
      dependency.datasource === "docker" &&
      dependency.packageName === `${pin.repository.slice("oci://".length).replace(/\/+$/, "")}/${pin.chart}`
    );
  }
  return dependency.datasource === "helm" && sameUrl(dependency.registryUrl, pin.repository);
}

/** Whether an extracted dependency is Renovate's view of this image pin. */
export function tracksImage(dependency: Dependency, pin: ImagePin): boolean {
  return (
    dependency.file === pin.file &&
    dependency.datasource === "docker" &&
    `${dependency.packageName ?? dependency.depName}:${dependency.currentValue}` === pin.image
  );
}

/**
 * Every problem between what the config extracts and what the code pins: a pin
 * matched never or more than once, and an extracted dependency that is no pin.
 */
export function coverageProblems(dependencies: readonly Dependency[], charts: readonly ChartPin[], images: readonly ImagePin[]): string[] {
  const problems: string[] = [];
  const claimed = new Set<Dependency>();
  const check = <P extends { file: string; line: number }>(
    pins: readonly P[],
    tracks: (d: Dependency, p: P) => boolean,
    describe: (p: P) => string,
  ): void => {
    for (const pin of pins) {
      const matches = dependencies.filter((dependency) => tracks(dependency, pin));
      matches.forEach((dependency) => claimed.add(dependency));
      if (matches.length !== 1) {
        problems.push(
          `${pin.file}:${pin.line}: ${describe(pin)} is matched ${matches.length} times by renovate.json's customManagers (expected once)`,
        );
      }
    }
  };
  check(charts, tracksChart, (pin) => `chart ${pin.chart} ${pin.version} from ${pin.repository}`);
  check(images, tracksImage, (pin) => `image ${pin.image}`);
  for (const dependency of dependencies) {
    if (!claimed.has(dependency)) {
      const { file, manager, ...fields } = dependency;
      problems.push(`${file}: customManagers[${manager}] extracts ${JSON.stringify(fields)}, which is no pin the code holds`);
    }
  }
  return problems;
}
