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
 * Feed it the CRDs of the pinned charts (Strimzi's `crds/` of the
 * strimzi-kafka-operator chart, kube-prometheus-stack's `charts/crds/crds/`).
 */
import * as fs from "fs";
import { parseAllDocuments } from "yaml";
import { dev } from "../environments/dev";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { KubernetesEnvironmentConfig } from "../environments/types";
import { kafkaManifests } from "../constructs/kafka/resources";
import { hardAntiAffinity } from "../constructs/kubernetes/service-props";
import { resolveKafka } from "../constructs/kafka/spec";
import { placementOn, systemPoolOf } from "../core/placement";

interface Schema {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
}

export interface KindFacts {
  /** Allowed values of the enum fields the platform sets. */
  readonly enums: Record<string, readonly unknown[]>;
  /** Fields the CRD allows on each object path the platform writes to. */
  readonly fields: Record<string, string[]>;
}

/** Kubernetes core types inside the CRDs (affinity, tolerations, resources…) and free-form maps: not descended into. */
export const OPAQUE_FIELDS = ["affinity", "tolerations", "resources", "config", "selector", "relabelings", "labels", "annotations"];

function rendered(): Record<string, unknown>[] {
  return [dev, staging, production].flatMap((environment: KubernetesEnvironmentConfig) =>
    kafkaManifests(resolveKafka(environment.services?.kafka), {
      namespace: "kafka",
      placement: placementOn(systemPoolOf(environment.nodePools)),
      hardAntiAffinity: hardAntiAffinity(environment.tier),
    }),
  );
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
        for (const path of [...usedPaths.keys()].sort()) {
          const node = schemaAt(root, path);
          if (node === undefined) throw new Error(`${kind}: ${path} is not in the CRD`);
          fields[path] = Object.keys(node.properties ?? {}).sort();
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
