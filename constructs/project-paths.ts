import * as fs from "fs";
import * as path from "path";

/**
 * Absolute path of a file shipped with the project. Walks up from this module
 * so it works both from the TypeScript sources and from the bundle in dist/.
 */
export function projectPath(...segments: string[]): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${__dirname}`);
    dir = parent;
  }
  return path.join(dir, ...segments);
}
