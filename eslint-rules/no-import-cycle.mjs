// No circle of imports, type-only ones included (an environment type importing a
// construct type that imports the environment is still a circle a reader has to
// untangle; import-x/no-cycle skips those, and costs more than this whole rule). It reads
// every relative import, export, side-effect import, require() and import() of the
// project once per lint run, and reports each one that points into its own file's circle.
import * as fs from "node:fs";
import * as path from "node:path";

const IMPORT = /(?:(?:import|export)\s[^;]*?from\s+|import\s+|(?:require|import)\(\s*)["'](\.[^"']*)["']/g;
const graphs = new Map();

/** Relative `.ts` imports of every project file, keyed by absolute path. */
function buildGraph(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", "dist", "cdktf.out", ".git", "coverage"].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(full);
    }
  };
  walk(root);
  const known = new Set(files);
  const resolve = (from, spec) => {
    const base = path.resolve(path.dirname(from), spec);
    return [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => known.has(candidate));
  };
  const edges = new Map();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const targets = new Set();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(file, match[1]);
      if (target) targets.add(target);
    }
    edges.set(file, targets);
  }
  return { edges, componentOf: stronglyConnected(edges) };
}

/** Tarjan's algorithm: each file's circle (a set of two or more files), if it is in one. */
function stronglyConnected(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const componentOf = new Map();
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set();
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.add(member);
    } while (member !== node);
    if (component.size > 1) for (const file of component) componentOf.set(file, component);
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return componentOf;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow import circles, type-only imports included" },
    messages: {
      cycle: "{{file}} and {{target}} are in one import circle ({{size}} files: {{members}}); move what both need to a lower layer",
    },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const filename = context.filename;
    /** Reports `node` when `specifier`, relative, points into this file's circle. */
    const check = (node, specifier) => {
      if (typeof specifier !== "string" || !specifier.startsWith(".")) return;
      // Built on the first import seen in a run; files changed during the run are not re-read.
      if (!graphs.has(root)) graphs.set(root, buildGraph(root));
      const { edges, componentOf } = graphs.get(root);
      const component = componentOf.get(filename);
      if (!component) return;
      const target = [...(edges.get(filename) ?? [])].find(
        (candidate) =>
          component.has(candidate) && path.resolve(path.dirname(filename), specifier).startsWith(candidate.replace(/(\/index)?\.ts$/, "")),
      );
      if (!target) return;
      const relative = (file) => path.relative(root, file);
      context.report({
        node,
        messageId: "cycle",
        data: {
          file: relative(filename),
          target: relative(target),
          size: component.size,
          members: [...component].map(relative).sort().slice(0, 6).join(", "),
        },
      });
    };
    return {
      "ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration"(node) {
        if (node.source) check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node, node.source.value);
      },
      CallExpression(node) {
        const [first] = node.arguments;
        if (node.callee.type === "Identifier" && node.callee.name === "require" && first?.type === "Literal") check(node, first.value);
      },
    };
  },
};
