import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SHARED_SYNTH_DIRECTORY } from "./shared-synth-directory";

/** A fresh directory per jest run for the synthesized stacks the run's test files share (support/synth.ts). */
export default function globalSetup(): void {
  process.env[SHARED_SYNTH_DIRECTORY] = fs.mkdtempSync(path.join(os.tmpdir(), "platform-synth-"));
}
