/**
 * The part of `terraform show -json <planfile>` that the report reads, format
 * 1.x (https://developer.hashicorp.com/terraform/internals/json-format).
 * Unknown properties are ignored, as the format asks of consumers, so that
 * newer minor versions keep working.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Marks in the shape of a value: `true` where the value (or everything below
 * it) is sensitive or unknown, objects and arrays to mark only parts of it.
 */
export type ValueMarks = boolean | readonly ValueMarks[] | { readonly [key: string]: ValueMarks };

/** One attribute path, e.g. `["set", 0, "value"]`. */
export type AttributePath = readonly (string | number)[];

export interface Change {
  /** `["no-op"]`, `["create"]`, `["read"]`, `["update"]`, `["delete","create"]`, `["create","delete"]`, `["delete"]`, `["forget"]`, … */
  readonly actions: readonly string[];
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly after_unknown?: ValueMarks;
  readonly before_sensitive?: ValueMarks;
  readonly after_sensitive?: ValueMarks;
  /** Attributes whose change forces the replacement. */
  readonly replace_paths?: readonly AttributePath[];
  /** Present when the object is imported by this plan. */
  readonly importing?: { readonly id?: string };
}

export interface ResourceChange {
  readonly address: string;
  /** The address in the prior state, when a `moved` block changes it. */
  readonly previous_address?: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  /** Set when the change concerns a deposed object of a create-before-destroy replacement. */
  readonly deposed?: string;
  readonly change: Change;
  /** e.g. `replace_because_tainted`, `delete_because_no_resource_config`. */
  readonly action_reason?: string;
}

export interface Plan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  /** Changes made outside Terraform, found while refreshing. */
  readonly resource_drift?: readonly ResourceChange[];
  /** The plan stopped on an error and is incomplete. */
  readonly errored?: boolean;
}
