import { dev } from "./dev";
import { local } from "./local";
import { production } from "./production";
import { staging } from "./staging";
import { EnvironmentConfig } from "./types";

/** An environment and the file it is declared in, so errors can point at it. */
export interface EnvironmentSource {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Every environment, in promotion order. One stack is synthesized for each. */
export const ENVIRONMENTS: readonly EnvironmentSource[] = [
  { file: "environments/local.ts", config: local },
  { file: "environments/dev.ts", config: dev },
  { file: "environments/staging.ts", config: staging },
  { file: "environments/production.ts", config: production },
];

export * from "./types";
