import { DockerEnvironmentConfig } from "./types";

export const local: DockerEnvironmentConfig = {
  name: "local",
  tier: "development",
  target: "docker",
  dockerHost: "unix:///var/run/docker.sock",
  // A laptop's state stays on the laptop: terraform.local.tfstate in the project root.
  state: { backend: "local" },
};
