import * as fs from "fs";
import { SHARED_SYNTH_DIRECTORY } from "./shared-synth-directory";

export default function globalTeardown(): void {
  const directory = process.env[SHARED_SYNTH_DIRECTORY];
  if (directory !== undefined) fs.rmSync(directory, { recursive: true, force: true });
}
