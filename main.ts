import { ENVIRONMENTS } from "./environments";
import { ConfigurationError } from "./environments/problems";
import { buildPlatformApp } from "./stacks/platform-app";
import { LOCAL_STATE_VARIABLE } from "./stacks/state-backend";

try {
  const app = buildPlatformApp(ENVIRONMENTS, { state: { forceLocal: process.env[LOCAL_STATE_VARIABLE] === "1" } });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
