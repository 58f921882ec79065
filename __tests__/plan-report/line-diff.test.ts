import { lineDiff, MAX_EDIT_LENGTH, SKIPPED } from "../../tools/plan-report/line-diff";

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
    expect(diff).toEqual([SKIPPED, { op: " ", text: "d" }, { op: " ", text: "…" }, { op: "-", text: "x" }, { op: "+", text: "y" }]);
    expect(diff.filter((line) => line === SKIPPED)).toHaveLength(1);
  });

  test("a new value is all additions; a final newline is not an extra line", () => {
    expect(lineDiff(undefined, "a: 1\nb: 2\n")).toEqual([
      { op: "+", text: "a: 1" },
      { op: "+", text: "b: 2" },
    ]);
  });

  test("a long value with one change is one change, however long (a big chart's values)", () => {
    // 3,000 lines each side: 9 million line pairs, where a table-based diff gives up and shows everything.
    const before = Array.from({ length: 3_000 }, (_, index) => `  key${index}: value ${index}`);
    const after = before.map((line, index) => (index === 1_500 ? "  key1500: changed" : line));
    expect(lineDiff(text(before), text(after)).map((line) => `${line.op}${line.text}`)).toEqual([
      " …",
      "   key1498: value 1498",
      "   key1499: value 1499",
      "-  key1500: value 1500",
      "+  key1500: changed",
      "   key1501: value 1501",
      "   key1502: value 1502",
      " …",
    ]);
  });

  test("insertions and deletions far apart are each shown in place, with their context", () => {
    const before = Array.from({ length: 40 }, (_, index) => `line ${index}`);
    const after = ["first", ...before.slice(0, 20), ...before.slice(21), "last"];
    expect(lineDiff(text(before), text(after)).map((line) => `${line.op}${line.text}`)).toEqual([
      "+first",
      " line 0",
      " line 1",
      " …",
      " line 18",
      " line 19",
      "-line 20",
      " line 21",
      " line 22",
      " …",
      " line 38",
      " line 39",
      "+last",
    ]);
  });

  test(`a rewrite of more than ${MAX_EDIT_LENGTH} changed lines is shown as both sides whole, without a costly diff`, () => {
    const before = Array.from({ length: MAX_EDIT_LENGTH }, (_, index) => `old ${index}`);
    const after = Array.from({ length: MAX_EDIT_LENGTH }, (_, index) => `new ${index}`);
    const diff = lineDiff(text(before), text(after));
    expect(diff).toHaveLength(2 * MAX_EDIT_LENGTH);
    expect(diff.slice(0, MAX_EDIT_LENGTH).every((line) => line.op === "-")).toBe(true);
    expect(diff.slice(MAX_EDIT_LENGTH).every((line) => line.op === "+")).toBe(true);
  });
});
