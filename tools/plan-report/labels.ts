import { ReplaceOrder } from "./actions";
import { formatPath } from "./format-attributes";
import { code } from "./markdown";
import { AddressChange } from "./summarize";

const REPLACE_ORDERS: Readonly<Record<ReplaceOrder, string>> = {
  "delete-then-create": "delete, then create",
  "create-then-delete": "create, then delete",
  "create-then-forget": "create; the old object is kept, not destroyed",
};

/** Terraform's `action_reason` values, in the words of its own plan output. */
const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "the object is tainted",
  replace_by_request: "requested with `-replace`",
  replace_by_triggers: "`replace_triggered_by`",
  replace_because_cannot_update: "an attribute cannot change in place",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "`count`/`for_each` changed",
  delete_because_count_index: "its `count` index is out of range",
  delete_because_each_key: "its `for_each` key is gone",
  delete_because_no_move_target: "its `moved` target does not exist",
  read_because_config_unknown: "its configuration is known only after apply",
  read_because_dependency_pending: "it depends on a pending change",
  read_because_check_nested: "a check block reads it",
};

/** `**import** + **update**`, `**move** from `a.b``, `**replace** (delete, then create)`. */
export function actionLabel(change: AddressChange): string {
  const { classified, resource } = change;
  const parts: string[] = [];
  if (classified.importing) {
    const id = resource.change.importing?.id;
    parts.push(`**import**${id ? ` (id ${code(id)})` : ""}`);
  }
  if (classified.moved && resource.previous_address) parts.push(`**move** from ${code(resource.previous_address)}`);
  switch (classified.kind) {
    case "no-op":
      break;
    case "replace":
      parts.push(`**replace** (${REPLACE_ORDERS[classified.replaceOrder ?? "delete-then-create"]})`);
      break;
    case "forget":
      parts.push("**forget** (leaves the state; the object is not destroyed)");
      break;
    case "read":
      parts.push("**read** during apply");
      break;
    case "unrecognized":
      parts.push(`**unrecognized actions** ${code(JSON.stringify(resource.change.actions))}; review the full plan`);
      break;
    default:
      parts.push(`**${classified.kind}**`);
  }
  return parts.join(" + ");
}

/** The address as the reviewer searches for it, with a deposed object's key. */
export function addressLabel(change: AddressChange): string {
  const deposed = change.resource.deposed ? ` (deposed object ${code(change.resource.deposed)})` : "";
  return `${code(change.resource.address)}${deposed}`;
}

/** Why it is replaced or deleted: Terraform's reason and the attributes that force it. */
export function reasonLabel(change: AddressChange): string {
  const reason = change.resource.action_reason;
  const paths = change.resource.change.replace_paths ?? [];
  if (paths.length > 0) return `forced by ${paths.map((path) => code(formatPath(path))).join(", ")}`;
  if (reason === undefined) return "";
  return REASONS[reason] ?? code(reason);
}

/** `**stateful: Vault (Helm release)**`, empty for other resources. */
export function statefulLabel(change: AddressChange): string {
  return change.stateful ? `🛢️ **stateful: ${change.stateful.label}**` : "";
}
