import { ResourceChange } from "./plan-json";

/** What a change does to the object, as counted in the report. */
export type ActionKind = "create" | "update" | "delete" | "replace" | "no-op" | "read" | "forget" | "unrecognized";

/** How a replacement is ordered; only `create-then-forget` keeps the old object. */
export type ReplaceOrder = "delete-then-create" | "create-then-delete" | "create-then-forget";

export interface ClassifiedChange {
  readonly kind: ActionKind;
  readonly replaceOrder?: ReplaceOrder;
  /** Destroys an existing object: a delete, a replace that deletes, or an action this tool does not know. */
  readonly destructive: boolean;
  readonly importing: boolean;
  readonly moved: boolean;
}

/** Terraform's action lists (plans.Action in its JSON form) and their meaning. */
const KNOWN_ACTIONS: Readonly<Record<string, { kind: ActionKind; replaceOrder?: ReplaceOrder }>> = {
  "no-op": { kind: "no-op" },
  create: { kind: "create" },
  read: { kind: "read" },
  update: { kind: "update" },
  "delete,create": { kind: "replace", replaceOrder: "delete-then-create" },
  "create,delete": { kind: "replace", replaceOrder: "create-then-delete" },
  "create,forget": { kind: "replace", replaceOrder: "create-then-forget" },
  delete: { kind: "delete" },
  // `removed` with `destroy = false`: leaves state, the object itself stays.
  forget: { kind: "forget" },
};

export function classify(resource: ResourceChange): ClassifiedChange {
  const known = KNOWN_ACTIONS[resource.change.actions.join(",")];
  const kind = known?.kind ?? "unrecognized";
  const replaceOrder = known?.replaceOrder;
  return {
    kind,
    replaceOrder,
    // An action list from a newer Terraform might delete; the reviewer must look.
    destructive: kind === "delete" || kind === "unrecognized" || (kind === "replace" && replaceOrder !== "create-then-forget"),
    importing: resource.change.importing !== undefined,
    moved: resource.previous_address !== undefined && resource.previous_address !== resource.address,
  };
}

/** Whether the change does anything at all: a no-op that imports or moves still changes state. */
export function isChange(classified: ClassifiedChange): boolean {
  return classified.kind !== "no-op" || classified.importing || classified.moved;
}
