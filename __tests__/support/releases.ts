import { parse } from "yaml";
import { SynthesizedStack, resourcesOfType } from "./synth";

/** A parsed YAML or JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A synthesized `helm_release`, with its Terraform resource address. */
export interface HelmRelease {
  readonly address: string;
  readonly attributes: Record<string, unknown>;
  readonly values: Json;
}

const parsed = new WeakMap<SynthesizedStack, HelmRelease[]>();

/** Every release of a stack, values parsed once per stack: YAML parsing costs more than the lookups. */
export function helmReleases(stack: SynthesizedStack): HelmRelease[] {
  let releases = parsed.get(stack);
  if (releases === undefined) {
    releases = Object.entries(resourcesOfType(stack, "helm_release")).map(([name, attributes]) => ({
      address: `helm_release.${name}`,
      attributes,
      values: parse((attributes.values as string[])[0]) as Json,
    }));
    parsed.set(stack, releases);
  }
  return releases;
}

/** The release Helm knows by `name`; fails the test when there is none. */
export function helmRelease(stack: SynthesizedStack, name: string): HelmRelease {
  const release = helmReleases(stack).find((candidate) => candidate.attributes.name === name);
  if (release === undefined) throw new Error(`no helm_release named ${name}`);
  return release;
}

/** The value at a path of keys (keys may contain dots, e.g. `grafana.ini`). */
export function at(value: Json | undefined, ...path: Array<string | number>): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current) ? current[key as number] : current[key as string];
  }
  return current;
}

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: Json;
}

/** The custom resources a manifests release applies. */
export function manifestsOf(release: HelmRelease): Manifest[] {
  return at(release.values, "manifests") as unknown as Manifest[];
}

/** `depends_on` of a release: the Terraform addresses it waits for. */
export function dependsOn(release: HelmRelease): string[] {
  return ((release.attributes.depends_on as string[] | undefined) ?? []).map((entry) => entry.replace(/^\$\{|\}$/g, ""));
}
