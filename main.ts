import { ENVIRONMENTS } from "./environments";
import { ConfigurationError } from "./environments/problems";
import { synthesizeChecked } from "./policies/synthesize";
import { buildPlatformApp } from "./stacks/platform-app";
import { LOCAL_STATE_VARIABLE } from "./stacks/state-backend";

try {
  const app = buildPlatformApp(ENVIRONMENTS, { state: { forceLocal: process.env[LOCAL_STATE_VARIABLE] === "1" } });
  const policy = synthesizeChecked(app, (text) => console.error(text));
  if (policy.errors.length > 0) process.exitCode = 1;
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
