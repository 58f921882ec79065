import * as fs from "fs";
import * as path from "path";

/**
 * What Terraform keeps in a stack's directory between runs and a new synth
 * must not throw away: the providers `terraform init` downloaded, its record
 * of the backend, and the provider lock file.
 */
const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"];

/** A fresh sibling of `outdir` to synthesize into: a failed synth never touches `outdir`. */
export function stagingDirectory(outdir: string): string {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}.next-`));
}

/**
 * Replaces `outdir` with the synthesized `staging` directory. Each stack that
 * exists in both keeps its Terraform working files; a stack that is no longer
 * synthesized goes with the old directory, so no stale stack can be deployed.
 */
export function publishDirectory(staging: string, outdir: string): void {
  const stacks = path.join(staging, "stacks");
  if (fs.existsSync(stacks)) {
    for (const stack of fs.readdirSync(stacks)) {
      for (const file of TERRAFORM_WORKING_FILES) {
        const previous = path.join(outdir, "stacks", stack, file);
        if (fs.existsSync(previous)) fs.renameSync(previous, path.join(stacks, stack, file));
      }
    }
  }
  const retired = `${staging}.old`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, retired);
  fs.renameSync(staging, outdir);
  fs.rmSync(retired, { recursive: true, force: true });
}

/**
 * After a failed synth: removes every stack definition an earlier run left in
 * `outdir` (and its manifest), keeping Terraform's working files, so that
 * `terraform plan` or `cdktf deploy` cannot run a definition that no longer
 * matches the sources. Returns the stacks whose definition was removed.
 */
export function removeStackDefinitions(outdir: string): string[] {
  const stacks = path.join(outdir, "stacks");
  if (!fs.existsSync(stacks)) return [];
  const removed: string[] = [];
  for (const stack of fs.readdirSync(stacks)) {
    for (const entry of fs.readdirSync(path.join(stacks, stack))) {
      if (TERRAFORM_WORKING_FILES.includes(entry)) continue;
      fs.rmSync(path.join(stacks, stack, entry), { recursive: true, force: true });
      if (entry === "cdk.tf.json") removed.push(stack);
    }
  }
  fs.rmSync(path.join(outdir, "manifest.json"), { force: true });
  return removed.sort();
}

/** The backend a stack's directory was last initialised with (`terraform init` records it), if any. */
export function initialisedBackend(outdir: string, stack: string): { readonly type: string; readonly key?: string } | undefined {
  const record = path.join(outdir, "stacks", stack, ".terraform", "terraform.tfstate");
  if (!fs.existsSync(record)) return undefined;
  try {
    const backend = (
      JSON.parse(fs.readFileSync(record, "utf8")) as { backend?: { type?: unknown; config?: { key?: unknown; path?: unknown } } }
    ).backend;
    if (typeof backend?.type !== "string") return undefined;
    const key = backend.config?.key ?? backend.config?.path;
    return { type: backend.type, key: typeof key === "string" ? key : undefined };
  } catch {
    return undefined;
  }
}
