import { EnvironmentSource, loadEnvironments } from "./load";

export { EnvironmentSource, LIBRARY_FILES, loadEnvironments } from "./load";

/**
 * Every environment, in promotion order. One stack is synthesized for each.
 * Loaded when this module is: programs that must report a broken folder
 * instead of throwing call loadEnvironments() themselves (main.ts).
 */
export const ENVIRONMENTS: readonly EnvironmentSource[] = loadEnvironments();

export * from "./types";
