import { CliIo, runCli } from "../../tools/plan-report/cli";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in-process, as `npm run plan-report -- …` would, with only the given environment. */
export async function cli(argv: readonly string[], env: CliIo["env"] = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}
