// Jest's module runtime, with V8's code cache between the test files of a worker. Jest gives
// every test file a fresh module registry, so each file compiles cdktf, the providers and the
// project again (a large part of the suite's time); this keeps, per worker and per exact
// source text, the first compilation and, from the second file on, hands V8 its code cache
// (taken after the module ran, so the functions it compiled meanwhile are included). Modules
// still run afresh in every file: only compilation is shared. The key is the file name and the
// exact source text; V8 rejects data that does not fit, and the source is then compiled anew.
"use strict";
// jest loads its runtime with require(), untransformed: this file is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vm = require("vm");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Runtime = require("jest-runtime").default;

/** file name → { source, script: the first compilation of that source, data: its code cache once taken } */
const compiled = new Map();

/** ModuleExecutor#compile (jest-runtime 30), with the cache; `this` is the runtime's executor. */
function compileWithCodeCache(original, scriptSource, filename) {
  const vmContext = this.environment.getVmContext();
  if (vmContext == null || this.resolution.isCoreModule(filename)) return original(scriptSource, filename);
  const known = compiled.get(filename);
  const entry = known !== undefined && known.source === scriptSource ? known : undefined;
  let cachedData;
  if (entry !== undefined) {
    try {
      cachedData = entry.data ??= entry.script.createCachedData();
    } catch {
      cachedData = undefined;
    }
  }
  // The wrapper and the module's first line share a line, as in node's own CommonJS loader: line numbers stay right.
  const wrapped = `(function (${this.injectedModuleParameters.join(", ")}) {${scriptSource}\n})`;
  let script;
  try {
    script = new vm.Script(wrapped, {
      filename,
      cachedData,
      importModuleDynamically: (specifier, _script, importAttributes) =>
        this.dynamicImport(specifier, filename, vmContext, importAttributes),
    });
  } catch {
    return original(scriptSource, filename);
  }
  if (entry === undefined) compiled.set(filename, { source: scriptSource, script, data: undefined });
  return script.runInContext(vmContext, { filename });
}

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (executor !== undefined && typeof executor.compile === "function") {
      const original = executor.compile.bind(executor);
      executor.compile = (scriptSource, filename) => compileWithCodeCache.call(executor, original, scriptSource, filename);
    }
  }
}

module.exports = CodeCachingRuntime;
module.exports.default = CodeCachingRuntime;
