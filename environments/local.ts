import { resources } from "../constructs/common/sizing";
import { PLATFORM_TOPICS } from "./shared";
import { BILLING, IDENTITY, teamIn } from "./teams";
import { DockerEnvironmentConfig } from "./types";

/**
 * The platform on a laptop's Docker engine: the clusters' services, wired the
 * same way, one container per server. Argo CD is not part of it: it manages
 * clusters. Host ports (127.0.0.1 only) are at their defaults; set `ports`,
 * e.g. `ports: { postgres: { platform: 15432 } }`, where one collides.
 */
export const local: DockerEnvironmentConfig = {
  name: "local",
  tier: "development",
  target: "docker",
  dockerHost: "unix:///var/run/docker.sock",
  // A laptop's state stays on the laptop: terraform.local.tfstate in the project root.
  state: { backend: "local" },
  services: {
    // Dev mode: one server, in memory, unsealed.
    vault: { replicas: 1 },
    redis: { replicas: 3, sentinels: 3 },
    postgres: {
      instances: 1,
      parameters: { shared_buffers: "128MB", effective_cache_size: "256MB", max_connections: "100" },
      resources: resources("250m", "512Mi"),
    },
    kafka: {
      controllers: 1,
      combinedRoles: true,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      logRetentionHours: 24,
      topics: PLATFORM_TOPICS,
      resources: resources("500m", "1Gi"),
    },
    observability: { prometheusRetention: "3d" },
  },
  teams: [teamIn("local", IDENTITY, { cpu: "2", memory: "4Gi" }), teamIn("local", BILLING, { cpu: "1", memory: "2Gi" })],
};

export default local;
