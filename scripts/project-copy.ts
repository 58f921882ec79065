import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Copies the project at `root` into `into` as a user's checkout holds it: the files git
 * tracks and the untracked ones it does not ignore (no dist/, cdktf.out/ or caches), with
 * node_modules linked rather than copied. For tests and the benchmark, which edit or add
 * files and must never touch the working tree that type checking and lint read meanwhile.
 */
export function copyProject(root: string, into: string): string {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" });
  for (const file of listed.split("\0")) {
    // A file deleted in the working tree is still listed until the deletion is staged.
    if (file === "" || !fs.existsSync(path.join(root, file))) continue;
    fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(into, file));
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(into, "node_modules"), "dir");
  return into;
}
