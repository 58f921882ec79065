import { Block, bytes, fitDocument, ItemList, NOTE_SLOT } from "../../tools/plan-report/fit";

const list = (priority: number, count: number, item: string): ItemList => ({
  priority,
  items: Array.from({ length: count }, (_, index) => `${item}${index}`),
  more: (hidden) => `(${hidden} more)`,
});
const note = (hidden: number) => `NOTE ${hidden}`;

describe("fitting a document under a size limit", () => {
  test("leaves a document that fits alone, without the note", () => {
    expect(fitDocument(["head", NOTE_SLOT, list(0, 3, "a"), "tail"], 1000, note)).toEqual({
      text: "head\na0\na1\na2\ntail",
      hidden: 0,
    });
  });

  test("drops whole items from the end of the lowest-priority list first", () => {
    const blocks: Block[] = ["head", NOTE_SLOT, list(1, 50, "detail-"), "mid", list(0, 5, "warn-"), "tail"];
    const fitted = fitDocument(blocks, 120, note);
    const lines = fitted.text.split("\n");
    expect(bytes(fitted.text)).toBeLessThanOrEqual(120);
    expect(lines.filter((line) => line.startsWith("warn-"))).toHaveLength(5);
    const details = lines.filter((line) => line.startsWith("detail-"));
    expect(details.length).toBeGreaterThan(0);
    expect(details).toEqual(details.map((_, index) => `detail-${index}`));
    expect(lines).toContain(`(${50 - details.length} more)`);
    expect(lines[1]).toBe(`NOTE ${fitted.hidden}`);
    expect(fitted.hidden).toBe(50 - details.length);
  });

  test("counts bytes, not characters: multi-byte text is cut earlier", () => {
    const ascii = fitDocument([NOTE_SLOT, list(0, 100, "x")], 200, note);
    const wide = fitDocument([NOTE_SLOT, list(0, 100, "🛢️")], 200, note);
    expect(bytes(wide.text)).toBeLessThanOrEqual(200);
    expect(wide.hidden).toBeGreaterThan(ascii.hidden);
  });

  test("cuts whole lines as a last resort when even the fixed parts are too long", () => {
    const fitted = fitDocument(["a".repeat(50), "b".repeat(50), NOTE_SLOT, list(0, 2, "x")], 70, note);
    expect(fitted.text).toBe(`${"a".repeat(50)}\nNOTE 2`);
  });
});
