import { EnvironmentSource } from "../environments/load";

/**
 * The stacks CI plans on every pull request and applies on merge: those of
 * environments whose state is shared in object storage. A laptop's stack
 * (local state, a Docker engine) has nothing for CI to reach.
 */
export function ciStackNames(sources: readonly EnvironmentSource[]): string[] {
  return sources.filter((source) => source.config.state.backend === "s3").map((source) => source.config.name);
}

/** Every stack the program synthesizes, in promotion order. */
export function allStackNames(sources: readonly EnvironmentSource[]): string[] {
  return sources.map((source) => source.config.name);
}
