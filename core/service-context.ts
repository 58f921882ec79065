import { NodePoolConfig } from "./placement";
import { EnvironmentTarget, EnvironmentTier } from "./tiers";

/** What a service's validation needs to know about where it runs. */
export interface ServiceContext {
  readonly tier: EnvironmentTier;
  readonly target: EnvironmentTarget;
  /** The pool platform services run on; undefined on Docker, or when a construct is used without one. */
  readonly systemPool?: NodePoolConfig;
}
