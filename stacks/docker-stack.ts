import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DockerEnvironmentConfig } from "../environments/types";
import { configureStateBackend, StateBackendOptions } from "./state-backend";

export interface DockerStackProps {
  readonly environment: DockerEnvironmentConfig;
  /** @default - the environment's declared state */
  readonly state?: StateBackendOptions;
}

/** @default dockerHost of a Docker environment */
export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/** One environment on a Docker engine: the platform services as containers. */
export class DockerStack extends TerraformStack {
  public readonly environment: DockerEnvironmentConfig;

  constructor(scope: Construct, props: DockerStackProps) {
    super(scope, props.environment.name);
    this.environment = props.environment;
    configureStateBackend(this, props.environment, props.state);
    new DockerProvider(this, "docker", { host: props.environment.dockerHost ?? DEFAULT_DOCKER_HOST });
  }
}
