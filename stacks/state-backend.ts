import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { EnvironmentConfig, S3StateConfig } from "../environments/types";
import { Policy } from "../policies/policy";
import { LOCAL_STATE_VARIABLE } from "./process-variables";

export interface StateBackendOptions {
  /**
   * Keep state in a local file even when the environment declares remote state.
   * @default false
   */
  readonly forceLocal?: boolean;
}

/** @default keyPrefix of S3 state */
export const DEFAULT_STATE_KEY_PREFIX = "platform";

/** OVHcloud Object Storage's S3 endpoint for a region. */
export function ovhObjectStorageEndpoint(region: string): string {
  return `https://s3.${region}.io.cloud.ovh.net`;
}

/** Object key of a stack's state: `<keyPrefix>/<stack>.tfstate`. */
export function stateKey(state: S3StateConfig, stackName: string): string {
  return `${state.keyPrefix ?? DEFAULT_STATE_KEY_PREFIX}/${stackName}.tfstate`;
}

/**
 * Terraform runs in cdktf.out/stacks/<stack>/, so a relative local state path
 * climbs back to the project root; an absolute path would differ per machine.
 */
export function localStatePath(relativeToProjectRoot: string): string {
  return `../../../${relativeToProjectRoot}`;
}

/**
 * Configures where a stack keeps its state. No credentials are ever set here:
 * anything in backend settings is written in plain text to cdk.tf.json, so
 * the S3 backend reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY itself.
 */
export function configureStateBackend(stack: TerraformStack, environment: EnvironmentConfig, options: StateBackendOptions = {}): void {
  const state = environment.state;
  const stackName = stack.node.id;
  if (state.backend === "local" || options.forceLocal) {
    const file = state.backend === "local" && state.path ? state.path : `terraform.${stackName}.tfstate`;
    const backend = new LocalBackend(stack, { path: localStatePath(file) });
    if (state.backend !== "local") {
      Policy.waive(backend, "PLAT-STATE-001", `${LOCAL_STATE_VARIABLE.name}=1: a local experiment that never touches the shared state`);
    }
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(state, stackName),
    region: state.region,
    endpoints: { s3: state.endpoint ?? ovhObjectStorageEndpoint(state.region) },
    // Non-AWS object storage: no AWS regions, STS, account id or instance metadata to check.
    skipRegionValidation: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    // Path-style requests work on every S3-compatible store; virtual hosts need DNS per bucket.
    usePathStyle: true,
  });
  // Not in cdktf 0.21's typed props. The checksum headers of recent AWS SDKs are
  // rejected by several S3-compatible stores; the lockfile (Terraform >= 1.10)
  // replaces DynamoDB locking with a conditional write of <key>.tflock.
  backend.addOverride("skip_s3_checksum", true);
  backend.addOverride("use_lockfile", true);
}
