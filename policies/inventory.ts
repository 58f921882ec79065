import {
  DefaultTokenResolver,
  StringConcat,
  TerraformAsset,
  TerraformBackend,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
import { EnvironmentTier } from "../environments/types";
import { ChartValues, chartValues } from "./helm-values";
import { PlatformRelease } from "../constructs/helm/platform-release";
import { blockAt, JsonObject, objectAt, stringAt } from "./json";
import { manifestObject, NamespaceResolver, providerObject, RenderedObject } from "./kubernetes-objects";

/** A Terraform resource as it will be synthesized, overrides included. */
export interface ResourceView {
  readonly construct: TerraformResource;
  readonly type: string;
  /** Logical id in the synthesized JSON: the resource is `<type>.<id>` to Terraform. */
  readonly id: string;
  readonly attributes: JsonObject;
}

/** A `helm_release` with its chart coordinates and the values Helm will compute. */
export interface HelmReleaseView extends ChartValues {
  readonly resource: ResourceView;
  readonly chart: string;
  readonly repository?: string;
  /** True for the project's own charts (a local path shipped as an asset, no repository). */
  readonly local: boolean;
}

/** Any element's synthesized JSON, for checks that look everywhere (secrets). */
export interface ElementView {
  readonly construct: TerraformElement;
  readonly json: unknown;
}

/** Everything the rules read about one stack, built once per stack and synth. */
export interface StackInventory {
  readonly stack: TerraformStack;
  /** The environment, which is the stack's name: `local`, `dev`, `staging`, `production`. */
  readonly environment: string;
  /** What availability the environment owes: `development`, `staging` or `production`. */
  readonly tier: EnvironmentTier;
  readonly elements: readonly ElementView[];
  readonly resources: readonly ResourceView[];
  readonly backend?: { readonly construct: TerraformBackend; readonly type: string; readonly attributes: JsonObject };
  /** Relative paths of the stack's assets, e.g. `assets/platform-manifests-chart/<hash>`. */
  readonly assetPaths: ReadonlySet<string>;
  readonly releases: readonly HelmReleaseView[];
  /** Kubernetes objects from `kubernetes_*` resources and from chart values that carry whole objects. */
  readonly objects: readonly RenderedObject[];
}

/** Values keys under which charts take complete objects; `manifests` only for the project's own charts. */
const OBJECT_LIST_KEYS = ["extraObjects", "extraManifests"];

/**
 * The top-level values keys whose lists the inventory reads as whole objects
 * (`objects`): rules check those as objects, and value walks skip them.
 */
export function objectListKeys(release: HelmReleaseView): readonly string[] {
  return release.local ? ["manifests", ...OBJECT_LIST_KEYS] : OBJECT_LIST_KEYS;
}

/** Derives something from an inventory once per inventory, however many rules ask for it. */
export function derived<T>(compute: (inventory: StackInventory) => T): (inventory: StackInventory) => T {
  const cache = new WeakMap<StackInventory, T>();
  return (inventory) => {
    const cached = cache.get(inventory);
    if (cached !== undefined) return cached;
    const value = compute(inventory);
    cache.set(inventory, value);
    return value;
  };
}

/**
 * Whether data holds cdktf tokens (encoded strings, numbers or lists, or
 * resolvable objects). Values objects are large and mostly literal; this walk
 * is far cheaper than a token resolution of the whole object.
 */
function containsTokens(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(containsTokens);
  if (value === null || typeof value !== "object") return false;
  if (typeof (value as { resolve?: unknown }).resolve === "function") return true;
  return Object.values(value).some(containsTokens);
}

/**
 * The inventory of a stack, read from `terraform`: the stack's JSON exactly as
 * synth writes it (`stack.toTerraform()`, tokens resolved, overrides applied).
 * Resources are read from it rather than resolved again; the few other elements
 * (providers, the backend, outputs) are resolved on their own.
 */
export function buildInventory(stack: TerraformStack, tier: EnvironmentTier, terraform: unknown = stack.toTerraform()): StackInventory {
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, resolver, preparing: false });
  const synthesized = objectAt(objectAt(terraform).resource);

  const elements: ElementView[] = [];
  const resources: ResourceView[] = [];
  const assetPaths = new Set<string>();
  let backend: StackInventory["backend"];
  const givenValues = new Map<TerraformResource, JsonObject>();
  for (const construct of stack.node.findAll()) {
    if (construct instanceof TerraformAsset) {
      const path = resolve(construct.path);
      if (typeof path === "string") assetPaths.add(path);
    }
    if (!TerraformElement.isTerraformElement(construct)) continue;
    if (TerraformResource.isTerraformResource(construct)) {
      const type = construct.terraformResourceType;
      const id = construct.friendlyUniqueId;
      const block = objectAt(synthesized[type])[id];
      if (block === undefined) continue; // a moved resource synthesizes no block
      const attributes = withoutMetaArguments(block);
      resources.push({ construct, type, id, attributes });
      elements.push({ construct, json: attributes });
      const given = platformReleaseValues(construct, attributes);
      if (given !== undefined) givenValues.set(construct, objectAt(containsTokens(given) ? resolve(given) : given));
      continue;
    }
    const json = resolve(construct.toTerraform());
    elements.push({ construct, json });
    if (TerraformBackend.isBackend(construct)) {
      const [type, attributes] = Object.entries(objectAt(objectAt(objectAt(json).terraform).backend))[0] ?? ["", {}];
      backend = { construct, type, attributes: objectAt(attributes) };
    }
  }

  const resolveNamespace = namespaceResolver(resources);
  const releases = resources
    .filter((view) => view.type === "helm_release")
    .map((view) => releaseView(view, assetPaths, givenValues.get(view.construct)));
  const objects: RenderedObject[] = [];
  for (const view of resources) {
    const object = providerObject(view.construct, view.type, view.attributes, resolveNamespace);
    if (object !== undefined) objects.push(object);
  }
  for (const release of releases) objects.push(...releaseObjects(release, resolveNamespace));

  return {
    stack,
    environment: stack.node.id,
    tier,
    elements,
    resources,
    backend,
    assetPaths,
    releases,
    objects,
  };
}

/** Meta-arguments no rule reads. */
const UNREAD_META_ARGUMENTS = new Set(["depends_on", "lifecycle", "provider", "count", "for_each", "//"]);

function withoutMetaArguments(attributes: unknown): JsonObject {
  return Object.fromEntries(Object.entries(objectAt(attributes)).filter(([key]) => !UNREAD_META_ARGUMENTS.has(key)));
}

/**
 * The values object a PlatformRelease rendered into its release, while the
 * release still carries exactly that YAML (no override replaced it, no token
 * in it resolved to something else): YAML parsing would otherwise be most of a
 * policy check's time.
 */
function platformReleaseValues(construct: TerraformResource, attributes: JsonObject): object | undefined {
  const owner = construct.node.scope;
  if (!(owner instanceof PlatformRelease) || owner.release !== construct) return undefined;
  const values = attributes.values;
  return Array.isArray(values) && values.length === 1 && values[0] === owner.valuesYaml ? owner.values : undefined;
}

function releaseView(resource: ResourceView, assetPaths: ReadonlySet<string>, given: JsonObject | undefined): HelmReleaseView {
  const chart = stringAt(resource.attributes.chart) ?? "";
  const repository = stringAt(resource.attributes.repository);
  return {
    resource,
    chart,
    repository: repository === "" ? undefined : repository,
    local: (repository === undefined || repository === "") && assetPaths.has(chart),
    ...chartValues(resource.attributes, given),
  };
}

function releaseObjects(release: HelmReleaseView, resolveNamespace: NamespaceResolver): RenderedObject[] {
  const namespace = stringAt(release.resource.attributes.namespace) ?? "default";
  const objects: RenderedObject[] = [];
  for (const key of objectListKeys(release)) {
    const list = release.values[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      const object = manifestObject(release.resource.construct, item, namespace, resolveNamespace, `values.${key}[${index}]`);
      if (object !== undefined) objects.push(object);
    });
  }
  return objects;
}

/** `${kubernetes_namespace_v1.<id>.metadata[0].name}` (or `.id`) → the name of the namespace we create. */
const NAMESPACE_REFERENCE = /^\$\{(kubernetes_namespace(?:_v1)?)\.([^.}[\]]+)\.(?:metadata(?:\[0\])?\.name|id)\}$/;

function namespaceResolver(resources: readonly ResourceView[]): NamespaceResolver {
  const names = new Map<string, string>();
  for (const view of resources) {
    if (view.type !== "kubernetes_namespace" && view.type !== "kubernetes_namespace_v1") continue;
    const name = stringAt(blockAt(view.attributes.metadata).name);
    if (name !== undefined) names.set(`${view.type}.${view.id}`, name);
  }
  return (written) => {
    if (written === undefined) return undefined;
    const reference = NAMESPACE_REFERENCE.exec(written);
    return reference ? (names.get(`${reference[1]}.${reference[2]}`) ?? written) : written;
  };
}
