import { loadEnvironments } from "./environments/load";
import { runSynth } from "./stacks/run-synth";

process.exitCode = runSynth(loadEnvironments, {
  env: process.env,
  print: (message) => console.log(message),
  printError: (message) => console.error(message),
});
