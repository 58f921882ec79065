import { derived, HelmReleaseView, objectListKeys, StackInventory } from "./inventory";
import { isObject, JsonObject, stringAt } from "./json";

/**
 * Settings found in the chart values a release passes (the platform's own
 * and a user's `values` override, merged as Helm merges them). Third-party
 * charts render the pods of every shipped service from these values, so the
 * container rules read them here; what a chart sets by default is not seen.
 */
export interface ChartSetting<T = unknown> {
  readonly release: HelmReleaseView;
  /** Where it is written, for messages: `values.server.statefulSet.securityContext.container`. */
  readonly path: string;
  readonly value: T;
}

export interface ChartSettings {
  /**
   * Security-context mappings: `securityContext` and any `…SecurityContext`
   * key (`podSecurityContext`, `containerSecurityContext`), and the `pod` and
   * `container` mappings some charts (Vault) nest in a `securityContext`.
   */
  readonly securityContexts: readonly ChartSetting<JsonObject>[];
  /** `privileged`, `hostNetwork`, `hostPID` and `hostIPC` keys wherever they are, whatever their value. */
  readonly hostAccess: readonly (ChartSetting & { readonly field: HostAccessField })[];
  /**
   * `resources` keys that size a container: mappings, and nulls (which drop
   * what the platform set, for the chart's default). Two other shapes use the
   * name and are left out on purpose: lists (RBAC rules name API resources,
   * e.g. `rules[].resources: [pods]`), and the `resources` of a volume claim's
   * spec (`volumeClaimTemplate.spec.resources.requests.storage`, as
   * kube-prometheus-stack's `storageSpec` takes it), which request storage.
   */
  readonly resources: readonly ChartSetting[];
}

export const HOST_ACCESS_FIELDS = ["privileged", "hostNetwork", "hostPID", "hostIPC"] as const;
export type HostAccessField = (typeof HOST_ACCESS_FIELDS)[number];

function isHostAccessField(key: string): key is HostAccessField {
  return (HOST_ACCESS_FIELDS as readonly string[]).includes(key);
}

type Found = { -readonly [K in keyof ChartSettings]: ChartSettings[K][number][] };

/** The children of a security context that are themselves contexts, as the Vault chart writes them. */
const NESTED_CONTEXTS = ["pod", "container"];

/** `release "vault"`, for messages. */
export function releaseLabel(release: HelmReleaseView): string {
  return `release "${stringAt(release.resource.attributes.name) ?? release.resource.id}"`;
}

/** Every release's settings, walked once per inventory. */
export const chartSettings = derived((inventory: StackInventory): ChartSettings => {
  const found: Found = { securityContexts: [], hostAccess: [], resources: [] };
  for (const release of inventory.releases) {
    // Lists of whole objects are checked as objects (inventory.objects), container by container.
    const objectKeys = new Set(objectListKeys(release));
    const values = Object.fromEntries(
      Object.entries(release.values).filter(([key, value]) => !(objectKeys.has(key) && Array.isArray(value))),
    );
    walk({ release, found }, "", values, "values", false);
  }
  return found;
});

/**
 * `key` is the key `value` sits under (`<key>[]` for a list item);
 * `claimSpec` says that `value` is the spec of a volume claim.
 */
function walk(
  at: { readonly release: HelmReleaseView; readonly found: Found },
  key: string,
  value: unknown,
  path: string,
  claimSpec: boolean,
): void {
  const { release, found } = at;
  if (isHostAccessField(key)) found.hostAccess.push({ release, path, value, field: key });
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => walk(at, `${key}[]`, item, `${path}[${index}]`, false));
    return;
  }
  if (!isObject(value)) return;
  if (key === "securityContext" || key.endsWith("SecurityContext")) {
    found.securityContexts.push({ release, path, value });
    for (const nested of NESTED_CONTEXTS) {
      const context = value[nested];
      if (isObject(context)) found.securityContexts.push({ release, path: `${path}.${nested}`, value: context });
    }
  }
  const claim = key === "volumeClaimTemplate" || key === "volumeClaimTemplates[]" || value.kind === "PersistentVolumeClaim";
  for (const [child, entry] of Object.entries(value)) {
    const childPath = `${path}.${child}`;
    if (child === "resources" && !claimSpec && (isObject(entry) || entry === null))
      found.resources.push({ release, path: childPath, value: entry });
    walk(at, child, entry, childPath, child === "spec" && claim);
  }
}
