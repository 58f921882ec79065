/**
 * A spec with its documented defaults applied. Keys set to undefined keep the
 * default (a plain spread would overwrite it with undefined).
 */
export function withDefaults<T extends object>(defaults: Required<T>, spec: T | undefined): Required<T> {
  const set = Object.entries(spec ?? {}).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(set) } as Required<T>;
}
