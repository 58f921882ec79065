import { ENVIRONMENTS } from "./environments";
import { runSynth } from "./stacks/run-synth";

process.exitCode = runSynth(ENVIRONMENTS, { env: process.env, report: (message) => console.error(message) });
