import { hashMapper, hashMapperHcl, stringToHclTerraform, stringToTerraform, TerraformResource } from "cdktf";
import { Construct } from "constructs";

export interface ReplaceMarkerProps {
  /** What the marker records; a change in it replaces every resource that names the marker in `replace_triggered_by`. */
  readonly input: Readonly<Record<string, string>>;
}

/**
 * Terraform's built-in `terraform_data` resource, holding a value whose
 * change replaces what names it (`lifecycle.replaceTriggeredBy:
 * replaceTriggers([marker])`). Not cdktf's DataResource: that one runs
 * `terraform version` in every synth to check for Terraform 1.4, so a machine
 * without Terraform could not synthesize at all, and each synth pays a
 * process start. The platform needs Terraform 1.10 for its state anyway.
 */
export class ReplaceMarker extends TerraformResource {
  public readonly input: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ReplaceMarkerProps) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
    this.input = { ...props.input };
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: hashMapper(stringToTerraform)(this.input) };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      input: { value: hashMapperHcl(stringToHclTerraform)(this.input), isBlock: false, type: "map", storageClassType: "stringMap" },
    };
  }
}
