/** A short line diff of two multi-line strings (Helm values, scripts), for a reviewer's eye. */

export interface DiffLine {
  readonly op: " " | "-" | "+";
  readonly text: string;
}

/** Above this many line pairs the longest common subsequence is too slow; show both sides whole. */
const MAX_LCS_CELLS = 1_000_000;
/** Unchanged lines kept around each change, so a YAML key shows its parent. */
const CONTEXT_LINES = 2;

/** Stands for a stretch of unchanged lines; compared by identity, so a real `…` line stays a line. */
export const SKIPPED: DiffLine = { op: " ", text: "…" };

/** The changed lines with a little context; unchanged stretches become one `…` line. */
export function lineDiff(before: string | undefined, after: string | undefined): DiffLine[] {
  const ops = diffOps(lines(before), lines(after));
  const near = ops.map((_, index) =>
    ops.slice(Math.max(0, index - CONTEXT_LINES), index + CONTEXT_LINES + 1).some((line) => line.op !== " "),
  );
  const out: DiffLine[] = [];
  ops.forEach((line, index) => {
    if (near[index]) out.push(line);
    else if (out[out.length - 1] !== SKIPPED) out.push(SKIPPED);
  });
  return out;
}

/** A final newline ends the last line; it does not start an empty one. */
function lines(text: string | undefined): string[] {
  if (text === undefined || text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

function diffOps(a: readonly string[], b: readonly string[]): DiffLine[] {
  if (a.length * b.length > MAX_LCS_CELLS) {
    return [...a.map((text) => ({ op: "-" as const, text })), ...b.map((text) => ({ op: "+" as const, text }))];
  }
  // lengths[i][j]: longest common subsequence of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const ops: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: " ", text: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      ops.push({ op: "-", text: a[i++] });
    } else {
      ops.push({ op: "+", text: b[j++] });
    }
  }
  return ops;
}
