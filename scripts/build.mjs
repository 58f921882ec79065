// Bundles an entry point into dist/ without type checking (that is `npm run typecheck`'s
// job, once): a run then costs one node start-up and one file read instead of
// transpiling hundreds of modules every time. The bundle is rebuilt only when one of its
// inputs changed, and `--run` runs it in this same process.
//
//   node scripts/build.mjs                       # main.ts -> dist/main.js (synth)
//   node scripts/build.mjs plan-report           # tools/plan-report/main.ts -> dist/plan-report.js
//   node scripts/build.mjs stacks                # tools/stacks/main.ts -> dist/stacks.js
//   node scripts/build.mjs <entry.ts> <out.js>   # any entry with the same options (the benchmark's programs)
//   node scripts/build.mjs --run main [args…]    # build if stale, then run the bundle here with args
//   node scripts/build.mjs --no-cache …          # rebuild whatever the cache says, and run without the code cache
//
// The cache (docs/performance.md#the-bundle-cache): beside each bundle, <out>.cache.json
// records what the bundle was built from: the content of every input esbuild read (its
// metafile), the files each glob `require` matched, the resolvable files of every project
// directory an input lives in (a new file there could change what an import resolves to),
// package.json, the lockfiles, tsconfig.json, this script, esbuild's and Node's versions,
// and the bundle's own hash. Anything different, or anything unreadable, rebuilds.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire, Module } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as vm from "node:vm";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "..");
const SCHEMA = 1;

const ENTRIES = {
  main: "main.ts",
  "plan-report": "tools/plan-report/main.ts",
  stacks: "tools/stacks/main.ts",
};

/** Files outside the inputs that change what esbuild produces from the same inputs. */
const SETTINGS_FILES = ["package.json", "package-lock.json", "node_modules/.package-lock.json", "tsconfig.json"];
/** Extensions esbuild resolves an import to: a new such file beside an input may shadow what an import meant. */
const RESOLVABLE = /\.(?:[cm]?[jt]sx?|json|node)$/;

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
const bundle = await ensureBundle(entry, outfile);
if (run) runBundle(bundle, args);

/** The bundle's bytes and hash: the cached ones when every input is as recorded, else freshly built. */
async function ensureBundle(entry, outfile) {
  const record = abs(`${outfile}.cache.json`);
  if (useCache) {
    const cached = cachedBundle(record, outfile);
    if (cached !== undefined) return cached;
  }
  const esbuild = await import("esbuild");
  const loaded = new Map();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [tokenStackTraceShim, recordProjectSources(loaded)],
    metafile: true,
    write: false,
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const globs = [];
  for (const [importer, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.path.includes("*")) globs.push(path.posix.join(path.posix.dirname(importer), imported.path));
    }
  }
  const directories = [...new Set(inputs.filter((file) => !isDependency(file)).map((file) => path.posix.dirname(file)))].sort();
  const sources = { entry, esbuild: esbuild.version, inputs, globs: [...new Set(globs)].sort(), directories };
  // The project's sources count as esbuild read them, so an edit made during the build makes the next run rebuild;
  // likewise a file a glob matches now but the bundle lacks.
  const fingerprint = fingerprintOf(sources, (file) => loaded.get(file));
  const globsComplete = sources.globs.every((glob) => globMatches(glob).every((file) => result.metafile.inputs[file] !== undefined));
  let code;
  fs.mkdirSync(path.dirname(abs(outfile)), { recursive: true });
  for (const file of result.outputFiles) {
    if (path.resolve(file.path) === abs(outfile)) code = Buffer.from(file.contents);
    writeAtomically(file.path, file.contents);
  }
  if (code === undefined) throw new Error(`esbuild wrote no ${outfile}`);
  const hash = sha256(code);
  if (fingerprint !== undefined && globsComplete) {
    writeAtomically(record, `${JSON.stringify({ schema: SCHEMA, ...sources, fingerprint, bundle: hash }, null, 1)}\n`);
  } else {
    fs.rmSync(record, { force: true });
  }
  return { file: abs(outfile), code, hash };
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
      esbuild.onLoad({ filter: /.*/, namespace: "file" }, (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (loader === undefined || isDependency(args.path)) return undefined;
        const contents = fs.readFileSync(args.path);
        loaded.set(path.relative(ROOT, args.path).split(path.sep).join("/"), sha256(contents));
        return { contents, loader };
      });
    },
  };
}

/** The recorded bundle, when nothing it was built from has changed; undefined means rebuild. */
function cachedBundle(record, outfile) {
  try {
    const recorded = JSON.parse(fs.readFileSync(record, "utf8"));
    if (recorded.schema !== SCHEMA || recorded.entry !== entry) return undefined;
    const { esbuild, inputs, globs, directories } = recorded;
    if (fingerprintOf({ entry, esbuild, inputs, globs, directories }) !== recorded.fingerprint) return undefined;
    // The installed esbuild is among SETTINGS_FILES' lockfiles; its version is checked there too.
    const code = fs.readFileSync(abs(outfile));
    const hash = sha256(code);
    return hash === recorded.bundle ? { file: abs(outfile), code, hash } : undefined;
  } catch {
    return undefined;
  }
}

/** One hash over everything the bundle depends on; undefined when something cannot be read (never cached). */
function fingerprintOf({ entry, esbuild, inputs, globs, directories }, known = () => undefined) {
  try {
    const hash = createHash("sha256");
    const add = (...parts) => {
      for (const part of parts) hash.update(typeof part === "string" ? `${part.length}:${part}` : part).update("\0");
    };
    add(`schema ${SCHEMA}`, `node ${process.version} ${process.arch}`, `esbuild ${esbuild}`, `entry ${entry}`);
    add("script", fs.readFileSync(SELF));
    for (const file of SETTINGS_FILES) add(file, fs.existsSync(abs(file)) ? fs.readFileSync(abs(file)) : "absent");
    for (const file of inputs) add(file, known(file) ?? sha256(fs.readFileSync(abs(file))));
    for (const glob of globs) add(glob, globMatches(glob).join("\n"));
    for (const dir of directories) add(dir, resolvableFiles(dir).join("\n"));
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

function isDependency(file) {
  return file.split(/[\\/]/).includes("node_modules");
}

/** Files that a glob import (`environments/**\/*.ts` from `require(\`./${name}.ts\`)`) can name, as esbuild matches it. */
function globMatches(glob) {
  const base = glob.slice(0, glob.indexOf("*")).replace(/[^/]*$/, "") || ".";
  const pattern = new RegExp(
    `^${glob
      .split(/(\*\*\/|\*)/)
      .map((part) => (part === "**/" ? "(?:.*/)?" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
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
 * Runs the bundle as node would run `node <bundle> args…`, in this process, with V8's
 * code cache: compiling and lazily compiling the bundle's functions is about a tenth of a
 * synth. The cache file is named after the bundle's hash and Node's version, so it only
 * ever meets the code it was made from; V8 rejects it on any other mismatch.
 */
function runBundle(bundle, programArgs) {
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
  process.argv = [process.argv[0], bundle.file, ...programArgs];
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, createRequire(bundle.file), module, bundle.file, path.dirname(bundle.file));
}
