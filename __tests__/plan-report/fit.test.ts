import { Block, bytes, fitDocument, ItemList, NOTE_SLOT, smallestLimit } from "../../tools/plan-report/fit";

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

  test("cuts whole blocks as a last resort when even the fixed parts are too long, keeping the head", () => {
    const blocks: Block[] = ["marker", "heading", "", "a".repeat(50), "", "b".repeat(50), "", NOTE_SLOT, list(0, 2, "x")];
    const fitted = fitDocument(blocks, 90, note);
    expect(fitted.text).toBe(`marker\nheading\n\n${"a".repeat(50)}\n\nNOTE 2`);
    expect(bytes(fitted.text)).toBeLessThanOrEqual(90);
    expect(fitDocument(blocks, 40, note).text).toBe("marker\nheading\n\nNOTE 2");
  });

  test("never cuts inside <details>: the note would be folded away with what follows", () => {
    const blocks: Block[] = [
      "heading",
      "",
      "<details><summary>many</summary>",
      "",
      "c".repeat(40),
      "",
      "</details>",
      "",
      NOTE_SLOT,
      list(0, 1, "x".repeat(30)),
    ];
    expect(fitDocument(blocks, 60, note).text).toBe("heading\n\nNOTE 1");
    expect(fitDocument(blocks, 110, note).text).toBe(
      `heading\n\n<details><summary>many</summary>\n\n${"c".repeat(40)}\n\n</details>\n\nNOTE 1`,
    );
  });
});

describe("the smallest limit", () => {
  const blocks: Block[] = ["<!-- marker -->", "## heading", "", NOTE_SLOT, list(0, 20, "item-")];

  test("is the head and the longest note when the whole document does not fit in it", () => {
    const smallest = smallestLimit(blocks, note);
    expect(smallest).toBe(bytes("<!-- marker -->\n## heading\nNOTE 20"));
    const fitted = fitDocument(blocks, smallest, note);
    expect(fitted).toEqual({ text: "<!-- marker -->\n## heading\nNOTE 20", hidden: 20 });
  });

  test("is the whole document when that is smaller: a short report needs no room for the note", () => {
    const short: Block[] = ["<!-- marker -->", "## heading", "", NOTE_SLOT, list(0, 1, "i")];
    expect(smallestLimit(short, note)).toBe(bytes("<!-- marker -->\n## heading\n\ni0"));
  });

  test("fails when the limit is below it, rather than cutting the head or the note", () => {
    const smallest = smallestLimit(blocks, note);
    expect(() => fitDocument(blocks, smallest - 1, note)).toThrow(
      new RangeError(`a limit of ${smallest - 1} bytes cannot hold the document's head and note; the smallest is ${smallest}`),
    );
  });

  test("every limit from it up fits, with the head kept whole", () => {
    const long: Block[] = ["<!-- marker -->", "## heading", "", "> warning", "", NOTE_SLOT, list(1, 30, "detail-")];
    for (let limit = smallestLimit(long, note); limit < 400; limit++) {
      const fitted = fitDocument(long, limit, note);
      expect([limit, bytes(fitted.text) <= limit]).toEqual([limit, true]);
      expect(fitted.text.startsWith("<!-- marker -->\n## heading\n")).toBe(true);
      if (fitted.hidden > 0) expect(fitted.text).toContain(`NOTE ${fitted.hidden}`);
    }
  });
});
