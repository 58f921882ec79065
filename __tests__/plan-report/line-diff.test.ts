import { lineDiff, SKIPPED } from "../../tools/plan-report/line-diff";

const text = (lines: readonly string[]) => `${lines.join("\n")}\n`;

describe("line diff", () => {
  test("keeps two lines of context and folds the rest", () => {
    const before = Array.from({ length: 12 }, (_, index) => `line ${index}`);
    const after = before.map((line, index) => (index === 6 ? "line six" : line));
    expect(lineDiff(text(before), text(after)).map((line) => `${line.op}${line.text}`)).toEqual([
      " …",
      " line 4",
      " line 5",
      "-line 6",
      "+line six",
      " line 7",
      " line 8",
      " …",
    ]);
  });

  test("a folded stretch is one marker, and a real `…` line is not mistaken for one", () => {
    const diff = lineDiff(text(["a", "b", "c", "d", "…", "x"]), text(["a", "b", "c", "d", "…", "y"]));
    expect(diff).toEqual([
      SKIPPED,
      { op: " ", text: "d" },
      { op: " ", text: "…" },
      { op: "-", text: "x" },
      { op: "+", text: "y" },
    ]);
    expect(diff.filter((line) => line === SKIPPED)).toHaveLength(1);
  });

  test("a new value is all additions; a final newline is not an extra line", () => {
    expect(lineDiff(undefined, "a: 1\nb: 2\n")).toEqual([
      { op: "+", text: "a: 1" },
      { op: "+", text: "b: 2" },
    ]);
  });
});
