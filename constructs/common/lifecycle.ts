import { TerraformResource } from "cdktf";

/**
 * `lifecycle.replace_triggered_by` entries for these resources: their bare
 * addresses (`terraform_data.<id>`). cdktf 0.21 writes a resource given as
 * such as `"${terraform_data.<id>}"`, which Terraform refuses with "Invalid
 * character" (hashicorp/terraform-cdk#3196, whose fix #3928 was never
 * released); a string passes through as written.
 */
export function replaceTriggers(resources: readonly TerraformResource[]): string[] {
  return resources.map((resource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`);
}
