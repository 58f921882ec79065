/**
 * Just enough Markdown for the documentation tests: headings and their GitHub
 * anchors, and the relative links of a file, both outside code.
 */
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");

/** README.md and every Markdown file under docs/, relative to the project root. */
export function documentationFiles(): string[] {
  const found: string[] = ["README.md"];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(".md")) found.push(relative);
    }
  };
  walk("docs");
  return found.sort();
}

/** The lines of a Markdown text with fenced code blocks blanked out, so their `#` and `[x](y)` are not read. */
export function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker) {
        fence = marker;
        return "";
      }
      return line;
    }
    // A fence closes with the same character, at least as long, and nothing after it.
    if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    return "";
  });
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped (but '-' and '_'), spaces to '-'. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link or image counts by its text
    .replace(/<[^>]+>/g, ""); // inline HTML tags are not part of the text
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a Markdown text defines: its headings, numbered `-1`, `-2` … when they repeat, as GitHub does. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = githubSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target)` outside code, with the line they are on. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  proseLines(markdown).forEach((line, index) => {
    const withoutCode = line.replace(/(`+)[\s\S]*?\1/g, (span) => " ".repeat(span.length));
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ line: index + 1, target: match[1] });
    }
  });
  return found;
}

/** A link to another site or a mail address: not checked here. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/**
 * What is wrong with each relative link of `file` (relative to `root`): a target
 * that does not exist, or a `#fragment` that names no heading of the Markdown file it points to.
 */
export function brokenLinks(file: string, root: string = ROOT): string[] {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  const problems: string[] = [];
  for (const { line, target } of links(source)) {
    if (isExternal(target)) continue;
    const hash = target.indexOf("#");
    const filePart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved = filePart === "" ? path.join(root, file) : path.join(root, path.dirname(file), filePart);
    const where = `${file}:${line}: ${target}`;
    if (filePart.startsWith("/")) {
      problems.push(`${where}: use a path relative to ${file}, not one from the site root`);
      continue;
    }
    if (
      !path
        .relative(root, resolved)
        .split(path.sep)
        .every((part) => part !== "..")
    ) {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${where}: ${path.relative(root, resolved)} does not exist`);
      continue;
    }
    if (fragment === undefined || fragment === "") continue;
    if (!resolved.endsWith(".md")) {
      problems.push(`${where}: a #fragment only resolves in a Markdown file`);
      continue;
    }
    const known = anchors(fs.readFileSync(resolved, "utf8"));
    if (!known.has(fragment)) problems.push(`${where}: ${path.relative(root, resolved)} has no heading with the anchor #${fragment}`);
  }
  return problems;
}
