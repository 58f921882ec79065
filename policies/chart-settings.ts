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
  const settings: Found = { securityContexts: [], hostAccess: [] };
  for (const release of inventory.releases) {
    const objectKeys = new Set(objectListKeys(release));
    for (const [key, value] of Object.entries(release.values)) {
      // Lists of whole objects are checked as objects (inventory.objects), container by container.
      if (objectKeys.has(key) && Array.isArray(value)) continue;
      walk(release, key, value, `values.${key}`, settings);
    }
  }
  return settings;
});

/** `key` is the key `value` is found under; "" for list items. */
function walk(release: HelmReleaseView, key: string, value: unknown, path: string, settings: Found): void {
  if (isHostAccessField(key)) settings.hostAccess.push({ release, path, value, field: key });
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => walk(release, "", item, `${path}[${index}]`, settings));
    return;
  }
  if (!isObject(value)) return;
  if (key === "securityContext" || key.endsWith("SecurityContext")) {
    settings.securityContexts.push({ release, path, value });
    for (const nested of NESTED_CONTEXTS) {
      const context = value[nested];
      if (isObject(context)) settings.securityContexts.push({ release, path: `${path}.${nested}`, value: context });
    }
  }
  for (const [child, entry] of Object.entries(value)) walk(release, child, entry, `${path}.${child}`, settings);
}
