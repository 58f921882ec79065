// Bundles an entry point into dist/ without type checking (that is `npm run typecheck`'s
// job, once): a run then costs one node start-up and two file reads instead of
// transpiling hundreds of modules every time. A bundle is rebuilt only when one of its
// inputs changed, and `--run` runs it in this same process.
//
//   node scripts/build.mjs                       # main.ts -> dist/main.js (synth)
//   node scripts/build.mjs plan-report           # tools/plan-report/main.ts -> dist/plan-report.js
//   node scripts/build.mjs stacks                # tools/stacks/main.ts -> dist/stacks.js
//   node scripts/build.mjs <entry.ts> <out.js>   # any entry with the same options (the benchmark's programs)
//   node scripts/build.mjs --run main [args…]    # build what is stale, then run it here with args
//   node scripts/build.mjs --no-cache …          # one self-contained bundle, built afresh, no cache read or written
//
// Two bundles per entry: <out>.js, the project's own code, and <out>.vendor.js, the
// packages it imports (cdktf, the providers, …), which <out>.js requires. An edit to the
// project rebuilds only the first, a tenth of the work; `node <out>.js` runs the pair.
//
// The cache (docs/performance.md#the-bundle-cache): beside each bundle, <file>.cache.json
// records what it was built from: every input esbuild read (its metafile; the project's
// files by content, installed packages by size, modification time and inode),
// the files each glob `require` matched, the resolvable files of every project directory an
// input lives in (a new file there could change what an import resolves to), package.json,
// the lockfiles, tsconfig.json, this script, esbuild's and Node's versions, the packages the
// project imports, and the bundle's own hash. Anything different, or unreadable, rebuilds.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire, isBuiltin, Module } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as vm from "node:vm";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");
const SCHEMA = 2;

const ENTRIES = {
  main: "main.ts",
  "plan-report": "tools/plan-report/main.ts",
  stacks: "tools/stacks/main.ts",
};

/** Files outside the inputs that change what esbuild produces from the same inputs. */
const SETTINGS_FILES = ["package.json", "package-lock.json", "node_modules/.package-lock.json", "tsconfig.json"];
/** Extensions esbuild resolves an import to: a new such file beside an input may shadow what an import meant. */
const RESOLVABLE = /\.(?:[cm]?[jt]sx?|json|node)$/;

const BUILD_OPTIONS = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
  write: false,
};

/** cdktf's per-token stack capture, replaced by scripts/shims/token-stack-trace.js (see there). */
const tokenStackTraceShim = {
  name: "token-stack-trace-shim",
  setup(esbuild) {
    esbuild.onResolve({ filter: /[\\/]stack-trace$/ }, (args) =>
      args.importer.includes(`${path.sep}cdktf${path.sep}lib${path.sep}`)
        ? { path: path.join(ROOT, "scripts", "shims", "token-stack-trace.js") }
        : undefined,
    );
  },
};

function usage(message) {
  console.error(`build: ${message}; one of ${Object.keys(ENTRIES).join(", ")}, or <entry> <outfile>, optionally after --run or --no-cache`);
  process.exit(1);
}

const args = process.argv.slice(2);
let run = false;
let useCache = true;
while (args[0] === "--run" || args[0] === "--no-cache") {
  if (args.shift() === "--run") run = true;
  else useCache = false;
}
const first = args.shift() ?? "main";
let entry;
let outfile;
if (first in ENTRIES) {
  [entry, outfile] = [ENTRIES[first], `dist/${first}.js`];
} else if (!run && args.length === 1) {
  // Paths below are the project's, relative to its root, whichever directory this is started from.
  [entry, outfile] = [first, args.shift()].map((file) => path.relative(ROOT, path.resolve(file)).split(path.sep).join("/"));
} else {
  usage(`unknown entry "${first}"`);
}
const program = useCache ? await ensureProgram(entry, outfile) : { app: await buildSelfContained(entry, outfile) };
if (run) runProgram(program, args);

/** The project's bundle and the vendor bundle it requires: the recorded ones where nothing changed. */
async function ensureProgram(entry, outfile) {
  const vendorFile = outfile.replace(/(\.[cm]?js)?$/, ".vendor.js");
  const vendorRequest = `./${path.basename(vendorFile)}`;
  const app = await ensureBundle(outfile, { entry }, async (esbuild) => {
    const packages = new Set();
    const loaded = new Map();
    const result = await esbuild.build({
      ...BUILD_OPTIONS,
      entryPoints: [entry],
      outfile,
      plugins: [vendorPackages(packages, vendorRequest), recordProjectSources(loaded)],
    });
    return { result, loaded, record: { packages: [...packages].sort() } };
  });
  const packages = app.record.packages;
  const vendor = await ensureBundle(vendorFile, { entry: `vendor of ${entry}`, packages }, async (esbuild) => {
    // Getters keep each package's initialisation where the project first requires it, as one bundle would.
    const contents = packages
      .map(
        (name) =>
          `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(name)}) });`,
      )
      .join("\n");
    const result = await esbuild.build({
      ...BUILD_OPTIONS,
      stdin: { contents, resolveDir: ROOT, loader: "js" },
      outfile: vendorFile,
      plugins: [tokenStackTraceShim],
    });
    return { result, loaded: new Map(), record: {} };
  });
  return { app, vendor, vendorRequest };
}

/** One bundle with its dependencies in it, built now, no record: the reference, caches off. */
async function buildSelfContained(entry, outfile) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({ ...BUILD_OPTIONS, entryPoints: [entry], outfile, plugins: [tokenStackTraceShim] });
  const code = writeOutputs(result, outfile);
  fs.rmSync(abs(`${outfile}.cache.json`), { force: true });
  return { file: abs(outfile), code, hash: sha256(code) };
}

/**
 * The bundle at `outfile`: the recorded one when its fingerprint still holds, else built by
 * `build(esbuild)` and recorded. `key` holds what else the bundle depends on (the entry, the packages).
 */
async function ensureBundle(outfile, key, build) {
  const recordFile = abs(`${outfile}.cache.json`);
  const cached = cachedBundle(recordFile, outfile, key);
  if (cached !== undefined) return cached;
  const esbuild = await import("esbuild");
  const startedMs = Date.now();
  const { result, loaded, record: extra } = await build(esbuild);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !isVirtual(file))
    .sort();
  const globs = [];
  for (const [importer, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.path.includes("*")) globs.push(path.posix.join(path.posix.dirname(importer), imported.path));
    }
  }
  const directories = [...new Set(inputs.filter((file) => !isDependency(file)).map((file) => path.posix.dirname(file)))].sort();
  const sources = { key, esbuild: esbuild.version, inputs, globs: [...new Set(globs)].sort(), directories };
  // The project's sources count as esbuild read them, so an edit made during the build makes the next run rebuild;
  // likewise a file a glob matches now but the bundle lacks.
  const fingerprint = fingerprintOf(sources, (file) => loaded.get(file));
  const globsComplete = sources.globs.every((glob) => globMatches(glob).every((file) => result.metafile.inputs[file] !== undefined));
  // Dependencies count by their file signature: one that changed since the build started may not be what esbuild read.
  const dependenciesSettled = inputs.filter(isDependency).every((file) => fs.statSync(abs(file)).mtimeMs < startedMs);
  const code = writeOutputs(result, outfile);
  const record = { schema: SCHEMA, ...sources, ...extra, fingerprint, bundle: sha256(code), bundleFile: fileSignature(outfile) };
  if (fingerprint !== undefined && globsComplete && dependenciesSettled)
    writeAtomically(recordFile, `${JSON.stringify(record, null, 1)}\n`);
  else fs.rmSync(recordFile, { force: true });
  return { file: abs(outfile), code, hash: record.bundle, record };
}

/**
 * Size, modification time and inode: what any write to a file changes. Used for installed
 * dependencies, which `npm ci` rewrites and nobody edits in place unnoticed by these, and
 * for the bundle itself; the project's own sources count by their content.
 */
function fileSignature(file) {
  const stat = fs.statSync(abs(file));
  return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
}

/** Writes esbuild's output files (the bundle and its source map) and returns the bundle's bytes. */
function writeOutputs(result, outfile) {
  let code;
  fs.mkdirSync(path.dirname(abs(outfile)), { recursive: true });
  for (const file of result.outputFiles) {
    if (path.resolve(file.path) === abs(outfile)) code = Buffer.from(file.contents);
    writeAtomically(file.path, file.contents);
  }
  if (code === undefined) throw new Error(`esbuild wrote no ${outfile}`);
  return code;
}

/** The recorded bundle, when nothing it was built from has changed; undefined means rebuild. */
function cachedBundle(recordFile, outfile, key) {
  try {
    const recorded = JSON.parse(fs.readFileSync(recordFile, "utf8"));
    if (recorded.schema !== SCHEMA || JSON.stringify(recorded.key) !== JSON.stringify(key)) return undefined;
    const { esbuild, inputs, globs, directories } = recorded;
    if (fingerprintOf({ key, esbuild, inputs, globs, directories }) !== recorded.fingerprint) return undefined;
    // The installed esbuild is among SETTINGS_FILES' lockfiles; its version is checked there too.
    const code = fs.readFileSync(abs(outfile));
    // The bundle as it was written, unless its signature changed: then its content must still be what was recorded.
    if (fileSignature(outfile) !== recorded.bundleFile && sha256(code) !== recorded.bundle) return undefined;
    return { file: abs(outfile), code, hash: recorded.bundle, record: recorded };
  } catch {
    return undefined;
  }
}

/** One hash over everything the bundle depends on; undefined when something cannot be read (never cached). */
function fingerprintOf({ key, esbuild, inputs, globs, directories }, known = () => undefined) {
  try {
    const hash = createHash("sha256");
    const add = (...parts) => {
      for (const part of parts) hash.update(typeof part === "string" ? `${part.length}:${part}` : part).update("\0");
    };
    add(`schema ${SCHEMA}`, `node ${process.version} ${process.arch}`, `esbuild ${esbuild}`, `key ${JSON.stringify(key)}`);
    add("script", fs.readFileSync(SELF));
    for (const file of SETTINGS_FILES) add(file, fs.existsSync(abs(file)) ? fs.readFileSync(abs(file)) : "absent");
    for (const file of inputs) add(file, known(file) ?? (isDependency(file) ? fileSignature(file) : sha256(fs.readFileSync(abs(file)))));
    for (const glob of globs) add(glob, globMatches(glob).join("\n"));
    for (const dir of directories) add(dir, resolvableFiles(dir).join("\n"));
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

/**
 * Sends every package import of the project's code to the vendor bundle: `require("cdktf")`
 * becomes the vendor bundle's `cdktf` export, so that each package exists once, in there.
 */
function vendorPackages(packages, vendorRequest) {
  return {
    name: "vendor-packages",
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.namespace === "vendor" || isBuiltin(args.path)) return undefined;
        return { path: args.path, namespace: "vendor" };
      });
      esbuild.onResolve({ filter: /^\.\// }, (args) => (args.namespace === "vendor" ? { path: args.path, external: true } : undefined));
      esbuild.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => {
        packages.add(args.path);
        return { contents: `module.exports = require(${JSON.stringify(vendorRequest)})[${JSON.stringify(args.path)}];`, loader: "js" };
      });
    },
  };
}

/** Loads the project's own files (not dependencies) for esbuild and keeps the hash of exactly what it compiled. */
function recordProjectSources(loaded) {
  const LOADERS = {
    ".ts": "ts",
    ".mts": "ts",
    ".cts": "ts",
    ".tsx": "tsx",
    ".js": "js",
    ".mjs": "js",
    ".cjs": "js",
    ".jsx": "jsx",
    ".json": "json",
  };
  return {
    name: "record-project-sources",
    setup(esbuild) {
      // Only paths below the project's own top-level entries: esbuild then loads anything else without asking.
      const own = fs.readdirSync(ROOT).filter((name) => name !== "node_modules" && name !== ".git");
      const filter = new RegExp(`^${escapeRegExp(ROOT + path.sep)}(?:${own.map(escapeRegExp).join("|")})(?:$|[\\\\/])`);
      esbuild.onLoad({ filter, namespace: "file" }, (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (loader === undefined || isDependency(args.path)) return undefined;
        const contents = fs.readFileSync(args.path);
        loaded.set(path.relative(ROOT, args.path).split(path.sep).join("/"), sha256(contents));
        return { contents, loader };
      });
    },
  };
}

function isDependency(file) {
  return file.split(/[\\/]/).includes("node_modules");
}

/** A metafile input that is no file: esbuild's stdin, or a module of a plugin's namespace (`vendor:cdktf`). */
function isVirtual(file) {
  return file === "<stdin>" || /^[a-z-]+:/.test(file);
}

/** Files that a glob import (`environments/**\/*.ts` from `require(\`./${name}.ts\`)`) can name, as esbuild matches it. */
function globMatches(glob) {
  const base = glob.slice(0, glob.indexOf("*")).replace(/[^/]*$/, "") || ".";
  const pattern = new RegExp(
    `^${glob
      .split(/(\*\*\/|\*)/)
      .map((part) => (part === "**/" ? "(?:.*/)?" : part === "*" ? "[^/]*" : escapeRegExp(part)))
      .join("")}$`,
  );
  const matches = [];
  const walk = (dir) => {
    if (!fs.existsSync(abs(dir))) return;
    for (const item of fs.readdirSync(abs(dir), { withFileTypes: true })) {
      const full = path.posix.join(dir, item.name);
      if (item.isDirectory()) {
        if (item.name !== "node_modules") walk(full);
      } else if (pattern.test(full)) matches.push(full);
    }
  };
  walk(path.posix.normalize(base));
  return matches.sort();
}

function resolvableFiles(dir) {
  return fs
    .readdirSync(abs(dir))
    .filter((name) => RESOLVABLE.test(name))
    .sort();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A path relative to the project root, made absolute. */
function abs(file) {
  return path.resolve(ROOT, file);
}

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/**
 * Runs the program as `node <out>.js args…` would, in this process, with V8's code cache
 * for both bundles: compiling them and their functions is about a tenth of a synth. A code
 * cache file is named after its bundle's hash and Node's version, so it only ever meets the
 * code it was made from; V8 rejects it on any other mismatch.
 */
function runProgram({ app, vendor, vendorRequest }, programArgs) {
  process.argv = [process.argv[0], app.file, ...programArgs];
  const appRequire = createRequire(app.file);
  let vendorExports;
  const requireForApp = Object.assign(
    (request) =>
      vendor !== undefined && request === vendorRequest
        ? (vendorExports ??= runModule(vendor, createRequire(vendor.file)))
        : appRequire(request),
    appRequire,
  );
  runModule(app, requireForApp);
}

/** Evaluates a CommonJS bundle with its code cache and the given `require`; returns its exports. */
function runModule(bundle, require) {
  const codeCache = useCache ? `${bundle.file}.${bundle.hash.slice(0, 16)}.${process.version}-${process.arch}.v8cache` : undefined;
  let cachedData;
  if (codeCache !== undefined && fs.existsSync(codeCache)) cachedData = fs.readFileSync(codeCache);
  const script = new vm.Script(Module.wrap(bundle.code.toString("utf8")), { filename: bundle.file, cachedData });
  if (codeCache !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // After the run, when the functions it used are compiled and can be cached too.
    process.once("exit", () => {
      try {
        const prefix = `${path.basename(bundle.file)}.`;
        for (const old of fs.readdirSync(path.dirname(bundle.file))) {
          if (old.startsWith(prefix) && old.endsWith(".v8cache")) fs.rmSync(path.join(path.dirname(bundle.file), old), { force: true });
        }
        writeAtomically(codeCache, script.createCachedData());
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    });
  }
  const module = new Module(bundle.file, undefined);
  module.filename = bundle.file;
  module.paths = Module._nodeModulePaths(path.dirname(bundle.file));
  script.runInThisContext().call(module.exports, module.exports, require, module, bundle.file, path.dirname(bundle.file));
  return module.exports;
}
