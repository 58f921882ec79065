import { EnvironmentSource } from "../environments";
import { ConfigurationError } from "../core/problems";
import { synthesizeChecked } from "../policies/synthesize";
import { buildPlatformApp } from "./platform-app";
import { LOCAL_STATE_VARIABLE } from "./state-backend";

export interface RunSynthOptions {
  /** The process environment; only LOCAL_STATE_VARIABLE is read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where problems are reported. */
  readonly report: (message: string) => void;
  /** @default - cdktf's default output directory */
  readonly outdir?: string;
}

/**
 * Synthesizes every environment and returns the process exit code: 0, or 1
 * after printing every configuration problem or policy error, with nothing
 * written. Policy warnings and waivers are printed too.
 */
export function runSynth(sources: readonly EnvironmentSource[], options: RunSynthOptions): number {
  try {
    const forceLocal = options.env[LOCAL_STATE_VARIABLE] === "1";
    const app = buildPlatformApp(sources, { outdir: options.outdir, state: { forceLocal } });
    return synthesizeChecked(app, options.report).errors.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    options.report(error.message);
    return 1;
  }
}
