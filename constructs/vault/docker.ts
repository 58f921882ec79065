import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { generatedPassword } from "../docker/generated-password";
import { PlatformContainer } from "../docker/platform-container";
import { DockerServiceProps } from "../docker/service-props";
import { ScrapeJob } from "../observability/scrape-job";
import { resolveVault, VaultSpec } from "./spec";

export interface VaultContainerProps extends DockerServiceProps {
  /** @default - the spec's defaults */
  readonly spec?: VaultSpec;
  /** Host port of the API and UI, on 127.0.0.1. */
  readonly hostPort: number;
}

/** Where the root token is written in the container; read by the start command. */
const ROOT_TOKEN_FILE = "/run/secrets/vault-root-token";
const API_PORT = 8200;

/**
 * One Vault server in dev mode: in-memory storage, unsealed at start, a root
 * token chosen by Terraform so that `terraform output` can hand it over. A
 * restart starts empty: there is no data directory to keep (the clusters run
 * raft with volumes; the laptop gets speed and no unseal ceremony).
 */
export class VaultContainer extends Construct {
  public readonly rootToken: Password;
  public readonly server: PlatformContainer;
  /** `http://vault:8200`: the address other containers use. */
  public readonly internalAddress: string;
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(scope: Construct, id: string, props: VaultContainerProps) {
    super(scope, id);
    const vault = resolveVault(props.spec);
    this.rootToken = generatedPassword(this, "root-token");
    this.server = new PlatformContainer(this, "server", {
      ...props,
      name: "vault",
      service: "vault",
      image: "vault",
      memory: vault.resources.limits.memory,
      // The image's entrypoint adds -dev-root-token-id from the environment;
      // a file keeps the token out of `docker inspect`. The later flag wins.
      command: ["sh", "-c", `exec docker-entrypoint.sh server -dev -dev-root-token-id="$(cat ${ROOT_TOKEN_FILE})"`],
      env: [`VAULT_ADDR=http://127.0.0.1:${API_PORT}`],
      // Vault images before 2.0.2 carry cap_ipc_lock on the binary and cannot start without it.
      capabilities: ["IPC_LOCK"],
      files: [
        { path: ROOT_TOKEN_FILE, content: this.rootToken.result },
        // Merged with the dev configuration: the entrypoint passes -config=/vault/config.
        { path: "/vault/config/local.hcl", content: vaultConfig(vault.ui) },
      ],
      ports: [{ host: props.hostPort, container: API_PORT }],
      healthcheck: { test: ["CMD", "vault", "status", `-address=http://127.0.0.1:${API_PORT}`] },
    });
    this.internalAddress = `http://${this.server.hostname}:${API_PORT}`;
    this.scrapeJobs = [
      {
        jobName: "vault",
        targets: [`${this.server.hostname}:${API_PORT}`],
        metricsPath: "/v1/sys/metrics",
        params: { format: ["prometheus"] },
        bearerToken: this.rootToken.result,
      },
    ];
  }
}

/** Prometheus-format metrics need a retention; hostnames would split series per container. */
function vaultConfig(ui: boolean): string {
  return [`ui = ${ui}`, "telemetry {", '  prometheus_retention_time = "24h"', "  disable_hostname = true", "}", ""].join("\n");
}
