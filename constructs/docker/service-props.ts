import { Network } from "@cdktf/provider-docker/lib/network";
import { LocalImages } from "./local-images";

/** What every platform service on Docker receives from its stack. */
export interface DockerServiceProps {
  /** Environment (and stack) name, e.g. `local`: prefixes container and volume names. */
  readonly environmentName: string;
  /** The platform network every container joins. */
  readonly network: Network;
  /** The pinned images, pulled once each. */
  readonly images: LocalImages;
}

/** Container and volume name on the engine, unique per environment: `local-redis-0`. */
export function engineName(environmentName: string, name: string): string {
  return `${environmentName}-${name}`;
}
