import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { local } from "../../environments/local";
import { synthEnvironment } from "../support/synth";

describe("docker stack", () => {
  test("configures the docker provider with the environment's engine", () => {
    const stack = synthEnvironment({ ...local, dockerHost: "ssh://dev@build-box" });
    expect(stack.json).toHaveProviderWithProperties(DockerProvider, { host: "ssh://dev@build-box" });
    expect(stack.parsed.provider?.kubernetes).toBeUndefined();
  });

  test("defaults to the local Docker socket", () => {
    const stack = synthEnvironment({ ...local, dockerHost: undefined });
    expect(stack.json).toHaveProviderWithProperties(DockerProvider, { host: "unix:///var/run/docker.sock" });
  });
});
