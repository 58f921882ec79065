/**
 * A short line diff of two multi-line strings (Helm values, scripts), for a
 * reviewer's eye: jsdiff's Myers diff of the lines, folded to the changes
 * with a little context.
 */
import { diffArrays } from "diff";

export interface DiffLine {
  readonly op: " " | "-" | "+";
  readonly text: string;
}

/**
 * Above this many inserted plus deleted lines the diff stops (its cost grows
 * with lines × edits) and both sides are shown whole: a change this big is read
 * in the full plan, and the comment shows only its first lines anyway.
 */
export const MAX_EDIT_LENGTH = 1_000;
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

function diffOps(a: string[], b: string[]): DiffLine[] {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDIT_LENGTH });
  if (changes === undefined) {
    return [...a.map((text) => ({ op: "-" as const, text })), ...b.map((text) => ({ op: "+" as const, text }))];
  }
  return changes.flatMap((change) => {
    const op = change.added ? "+" : change.removed ? "-" : " ";
    return change.value.map((text) => ({ op, text }));
  });
}
