import { Container } from "@cdktf/provider-docker/lib/container";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { terraformLiteral } from "../common/terraform-literal";
import { LocalImageName } from "./images";
import { memoryMiB } from "./memory";
import { DockerServiceProps, engineName } from "./service-props";

/** How the engine decides a container is healthy. */
export interface HealthcheckSpec {
  /** `["CMD", …]` or `["CMD-SHELL", "…"]`, run inside the container. */
  readonly test: readonly string[];
  /** Grace period for a slow first start (initdb, storage format). @default 10 */
  readonly startPeriodSeconds?: number;
  /** @default 10 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
}

/** A named volume for a data directory; it outlives the container, not `cdktf destroy`. */
export interface DataVolume {
  /** Volume name below the environment prefix, e.g. `redis-0-data`. */
  readonly name: string;
  readonly containerPath: string;
}

/** A file written into the container before it starts. */
export interface ContainerFile {
  readonly path: string;
  /** Literal text, written as it is (Terraform's `${` is escaped), or a cdktf token such as a password's result. */
  readonly content: string;
  /** Mode 0755 instead of 0644: scripts run by a non-root user after a privilege drop. @default false */
  readonly executable?: boolean;
}

export interface PlatformContainerProps extends DockerServiceProps {
  /** Name below the environment prefix, also the host name on the platform network. */
  readonly name: string;
  /** `platform/service` label: the service this container belongs to. */
  readonly service: string;
  readonly image: LocalImageName;
  /** Memory limit, a Kubernetes quantity such as `512Mi`. */
  readonly memory: string;
  readonly healthcheck: HealthcheckSpec;
  /** @default [] */
  readonly volumes?: readonly DataVolume[];
  /** Published on 127.0.0.1 only: `host` on the laptop → `container` inside. @default [] */
  readonly ports?: ReadonlyArray<{ readonly host: number; readonly container: number }>;
  /** Configuration and secret files, uploaded before the first start. @default [] */
  readonly files?: readonly ContainerFile[];
  /** @default - the image's entrypoint */
  readonly entrypoint?: readonly string[];
  /** @default - the image's command */
  readonly command?: readonly string[];
  /** `NAME=value`; never a secret (`docker inspect` shows it). @default [] */
  readonly env?: readonly string[];
  /** Linux capabilities to add. @default [] */
  readonly capabilities?: readonly string[];
  /** Containers to start first. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A platform service container with the settings every one of them needs:
 * a pinned image, a healthcheck Terraform waits for, named volumes for its
 * data, a memory limit, `unless-stopped` restarts, ports on 127.0.0.1 only,
 * bounded logs and the `platform/*` labels. The only way a container is made,
 * so these hold for all of them.
 */
export class PlatformContainer extends Construct {
  /** Seconds `terraform apply` waits for the healthcheck before failing. */
  public static readonly WAIT_TIMEOUT_SECONDS = 180;
  /** Seconds a stopping container gets to flush before it is killed. */
  public static readonly STOP_GRACE_SECONDS = 30;

  public readonly container: Container;
  public readonly volumes: readonly Volume[];
  /** Host name on the platform network. */
  public readonly hostname: string;

  constructor(scope: Construct, id: string, props: PlatformContainerProps) {
    super(scope, id);
    const labels = [
      { label: "platform/environment", value: props.environmentName },
      { label: "platform/service", value: props.service },
    ];
    this.hostname = props.name;
    this.volumes = (props.volumes ?? []).map(
      (volume) => new Volume(this, `volume-${volume.name}`, { name: engineName(props.environmentName, volume.name), labels }),
    );
    const health = props.healthcheck;
    this.container = new Container(this, "container", {
      name: engineName(props.environmentName, props.name),
      image: props.images.image(props.image).imageId,
      hostname: props.name,
      restart: "unless-stopped",
      memory: memoryMiB(props.memory),
      healthcheck: {
        test: [...health.test],
        interval: `${health.intervalSeconds ?? 10}s`,
        timeout: `${health.timeoutSeconds ?? 5}s`,
        startPeriod: `${health.startPeriodSeconds ?? 10}s`,
        retries: 6,
      },
      wait: true,
      waitTimeout: PlatformContainer.WAIT_TIMEOUT_SECONDS,
      destroyGraceSeconds: PlatformContainer.STOP_GRACE_SECONDS,
      networksAdvanced: [{ name: props.network.name, aliases: [props.name] }],
      ports: props.ports?.length
        ? props.ports.map((port) => ({ internal: port.container, external: port.host, ip: "127.0.0.1", protocol: "tcp" }))
        : undefined,
      volumes: props.volumes?.length
        ? props.volumes.map((volume, i) => ({ volumeName: this.volumes[i].name, containerPath: volume.containerPath }))
        : undefined,
      upload: (props.files ?? []).map((file) => ({
        file: file.path,
        content: terraformLiteral(file.content),
        permissions: file.executable ? "0755" : "0644",
      })),
      entrypoint: props.entrypoint ? [...props.entrypoint] : undefined,
      command: props.command ? [...props.command] : undefined,
      env: props.env?.length ? [...props.env] : undefined,
      capabilities: props.capabilities?.length ? { add: [...props.capabilities] } : undefined,
      logDriver: "json-file",
      // A laptop's disk, not a log store: three 10 MB files per container.
      logOpts: { "max-size": "10m", "max-file": "3" },
      labels,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
