// `npm test`: the type check, lint, format check and jest, with nothing skipped, arranged
// for a cold 2-core machine (CI's): one TypeScript program serves both the type check and
// ESLint's typed rules (typescript-eslint's parserOptions.programs) instead of each building
// its own, and Prettier and jest run beside them in their own processes. Each step's output
// is printed whole, in this order, once all have finished; any failure fails the run.
//
//   npm test                 # everything
//   npm test -- <jest args>  # everything, with these arguments for jest (e.g. -t <name>, -u)
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { performance } from "node:perf_hooks";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const color = process.stdout.isTTY === true;
const childEnv = { ...process.env, ...(color ? { FORCE_COLOR: "1" } : {}) };

/**
 * A child process whose output is kept for later; resolves with its exit code and output,
 * standard error first: jest's summary reporter ends the run with its line on standard output.
 */
function run(name, args) {
  const started = performance.now();
  return new Promise((resolve) => {
    const out = [];
    const err = [];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", (error) => resolve({ name, ok: false, output: `${error.message}\n`, ms: performance.now() - started }));
    child.on("close", (code) =>
      resolve({ name, ok: code === 0, output: Buffer.concat([...err, ...out]).toString(), ms: performance.now() - started }),
    );
  });
}

// Prettier's cache is keyed by each file's content and the options, so it cannot vouch for a changed file.
const format = run("format", [
  "node_modules/prettier/bin/prettier.cjs",
  "--check",
  "--log-level",
  "warn",
  "--cache",
  "--cache-strategy",
  "content",
  "--cache-location",
  ".cache/prettier/cache.json",
  ".",
]);
const tests = run("jest", ["node_modules/jest/bin/jest.js", ...(color ? ["--color"] : []), ...process.argv.slice(2)]);

const checks = await typecheckAndLint();
const results = [...checks, await format, await tests];
const timings = results.map((result) => `${result.name} ${(result.ms / 1000).toFixed(1)} s`).join(", ");
for (const result of results) {
  // Jest's output last: its summary reporter's line closes the run.
  if (result.name === "jest") console.log(`npm test: ${timings} (wall time of each step; the steps overlap)`);
  if (result.output.trim() !== "") process.stdout.write(result.output.endsWith("\n") ? result.output : `${result.output}\n`);
}
const failed = results.filter((result) => !result.ok).map((result) => result.name);
if (failed.length > 0) {
  console.error(`npm test: ${failed.join(", ")} failed`);
  process.exitCode = 1;
}

/** `tsc --noEmit` (incremental, as tsconfig.json says), then ESLint on the same program. */
async function typecheckAndLint() {
  const started = performance.now();
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), { noEmit: true }, host);
  if (config === undefined) return [{ name: "typecheck", ok: false, output: "tsconfig.json cannot be read\n", ms: 0 }];
  if (config.options.tsBuildInfoFile) fs.mkdirSync(path.dirname(config.options.tsBuildInfoFile), { recursive: true });
  const builder = ts.createIncrementalProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  // tsc's order: configuration and syntax first; semantics only when the syntax is sound.
  let diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
  ];
  if (diagnostics.length === 0) diagnostics = builder.getSemanticDiagnostics();
  builder.emit(); // with noEmit, only the .tsbuildinfo
  const formatHost = { getCanonicalFileName: (file) => file, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
  const typecheck = {
    name: "typecheck",
    ms: performance.now() - started,
    ok: diagnostics.length === 0,
    output:
      diagnostics.length === 0
        ? ""
        : `${color ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost) : ts.formatDiagnostics(diagnostics, formatHost)}\nFound ${diagnostics.length} type error(s).\n`,
  };

  const lintStarted = performance.now();
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: [
      { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [builder.getProgram()] } } },
    ],
  });
  const linted = await eslint.lintFiles(["."]);
  const formatter = await eslint.loadFormatter("stylish");
  const lint = {
    name: "lint",
    ms: performance.now() - lintStarted,
    ok: linted.every((result) => result.errorCount === 0 && result.fatalErrorCount === 0),
    output: await formatter.format(linted),
  };
  return [typecheck, lint];
}
