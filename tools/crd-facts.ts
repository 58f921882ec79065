/**
 * Writes __tests__/fixtures/crd-facts.json: for each custom resource kind the
 * platform renders, the enums of the fields the platform sets and the fields
 * the CRD allows on every object the platform writes to (a field the CRD does
 * not know is pruned silently). Tests then check rendered resources without
 * the CRDs at hand. The CRD's required fields go to stderr, for
 * __tests__/fixtures/crd-required-fields.ts.
 *
 *   npx tsx tools/crd-facts.ts <crd.yaml>... > __tests__/fixtures/crd-facts.json
 *
 * Feed it the CRDs of the pinned charts and operators: docs/development.md
 * lists them. What the platform renders is read from every environment's
 * stack: the objects of its manifests releases, and the parts of the
 * `cluster` chart's values that the chart copies into its Cluster verbatim.
 */
import * as fs from "fs";
import { IConstruct } from "constructs";
import { parseAllDocuments } from "yaml";
import { loadEnvironments } from "../environments/load";
import { MANIFESTS_CHART_ASSET } from "../constructs/helm/manifests-release";
import { HelmValues } from "../constructs/helm/merge-values";
import { PlatformRelease } from "../constructs/helm/platform-release";
import { CNPG_CLUSTER_CHART } from "../constructs/postgres/chart";
import { buildPlatformApp } from "../stacks/platform-app";

interface Schema {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
}

/** In `fields`, the list of an object whose keys are free: a map (`additionalProperties`) or preserved unknown fields. */
export const ANY_FIELD = "*";

function isFreeForm(node: Schema): boolean {
  return (
    node.properties === undefined && (node.additionalProperties !== undefined || node["x-kubernetes-preserve-unknown-fields"] === true)
  );
}

export interface KindFacts {
  /** Allowed values of the enum fields the platform sets. */
  readonly enums: Record<string, readonly unknown[]>;
  /** Fields the CRD allows on each object path the platform writes to; `["*"]` (ANY_FIELD) for a map. */
  readonly fields: Record<string, string[]>;
}

/** Kubernetes core types inside the CRDs (affinity, tolerations, resources…) and free-form maps: not descended into. */
export const OPAQUE_FIELDS = [
  "affinity",
  "tolerations",
  "resources",
  "config",
  "selector",
  "relabelings",
  "labels",
  "annotations",
  "parameters",
];

/**
 * The Cluster the `cluster` chart (0.8.1, templates/cluster.yaml) renders,
 * reduced to the values it copies in verbatim: `cluster.plugins` to
 * `spec.plugins`, `cluster.roles` to `spec.managed.roles`.
 */
export function chartCluster(name: string, values: HelmValues): Record<string, unknown> {
  const cluster = (values.cluster ?? {}) as { plugins?: unknown[]; roles?: unknown[] };
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name },
    spec: {
      ...(cluster.plugins?.length ? { plugins: cluster.plugins } : {}),
      ...(cluster.roles?.length ? { managed: { roles: cluster.roles } } : {}),
    },
  };
}

/** Whether a release installs CloudNativePG's `cluster` chart. */
export function isClusterChartRelease(release: PlatformRelease): boolean {
  return release.release.chartInput === CNPG_CLUSTER_CHART.chart && release.release.repositoryInput === CNPG_CLUSTER_CHART.repository;
}

/** Every custom resource the stacks of `scope` render, and the chart clusters' verbatim parts. */
export function renderedObjects(scope: IConstruct): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof PlatformRelease)) continue;
    // The project's manifests chart (ManifestsRelease, or a release that keeps another construct id) applies `manifests`.
    const manifests = construct.values.manifests;
    if (construct.release.chartInput?.includes(MANIFESTS_CHART_ASSET) && Array.isArray(manifests)) {
      objects.push(...(manifests as Record<string, unknown>[]));
    }
    if (isClusterChartRelease(construct)) objects.push(chartCluster(construct.release.nameInput ?? "", construct.values));
  }
  return objects;
}

function rendered(): Record<string, unknown>[] {
  return renderedObjects(buildPlatformApp(loadEnvironments()));
}

/** Object paths of a value, `[]` for array items, stopping at opaque fields. */
function objectPaths(value: unknown, path: string, into: Map<string, Set<string>>): void {
  if (Array.isArray(value)) {
    for (const item of value) objectPaths(item, `${path}[]`, into);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const keys = into.get(path) ?? new Set<string>();
  into.set(path, keys);
  for (const [key, child] of Object.entries(value)) {
    keys.add(key);
    if (!OPAQUE_FIELDS.includes(key)) objectPaths(child, path === "" ? key : `${path}.${key}`, into);
  }
}

function schemaAt(root: Schema, path: string): Schema | undefined {
  let node: Schema | undefined = root;
  for (const part of path === "" ? [] : path.split(".")) {
    const name = part.replace(/\[\]/g, "");
    node = node?.properties?.[name];
    for (let depth = (part.match(/\[\]/g) ?? []).length; depth > 0; depth--) node = node?.items;
  }
  return node;
}

function main(files: readonly string[]): void {
  const used = new Map<string, Map<string, Set<string>>>();
  for (const manifest of rendered()) {
    const kind = `${manifest.apiVersion}/${manifest.kind}`;
    const paths = used.get(kind) ?? new Map<string, Set<string>>();
    used.set(kind, paths);
    objectPaths(manifest.spec, "spec", paths);
  }
  const facts: Record<string, KindFacts> = {};
  for (const file of files) {
    for (const document of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
      const crd = document.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
        };
      };
      if (crd?.kind !== "CustomResourceDefinition" || crd.spec === undefined) continue;
      for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
        const kind = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
        const root = version.schema.openAPIV3Schema;
        const required: string[] = [];
        const enums: Record<string, readonly unknown[]> = {};
        const walk = (node: Schema, path: string, key: string): void => {
          for (const name of node.required ?? []) required.push(path === "" ? name : `${path}.${name}`);
          if (node.enum) enums[path] = node.enum;
          if (OPAQUE_FIELDS.includes(key) || path.startsWith("status")) return;
          for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, path === "" ? name : `${path}.${name}`, name);
          if (node.items) walk(node.items, `${path}[]`, key);
        };
        walk(root, "", "");
        const usedPaths = used.get(kind) ?? new Map<string, Set<string>>();
        const fields: Record<string, string[]> = {};
        const maps: string[] = [];
        for (const path of [...usedPaths.keys()].sort()) {
          // Below a map, keys are the platform's own: nothing to check.
          if (maps.some((map) => path.startsWith(`${map}.`) || path.startsWith(`${map}[]`))) continue;
          const node = schemaAt(root, path);
          if (node === undefined) throw new Error(`${kind}: ${path} is not in the CRD`);
          if (isFreeForm(node)) maps.push(path);
          fields[path] = isFreeForm(node) ? [ANY_FIELD] : Object.keys(node.properties ?? {}).sort();
        }
        // Enums of fields on objects the platform writes to.
        const parent = (path: string) => path.replace(/\[\]$/, "").replace(/\.[^.]+$/, "");
        const usedEnums = Object.fromEntries(Object.entries(enums).filter(([path]) => usedPaths.has(parent(path))));
        facts[kind] = { enums: usedEnums, fields };
        process.stderr.write(`${kind} required: ${JSON.stringify(required.filter((path) => !path.startsWith("status")))}\n`);
      }
    }
  }
  process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
}

// Tests import OPAQUE_FIELDS; only a direct run reads CRDs.
if (require.main === module) main(process.argv.slice(2));
