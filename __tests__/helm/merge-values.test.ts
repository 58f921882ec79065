import { mergeValues } from "../../constructs/helm/merge-values";

describe("mergeValues, Helm's merge of a values file over a chart's", () => {
  test("merges mappings key by key, at any depth", () => {
    expect(mergeValues({ a: { b: 1, c: { d: 2 } }, e: 3 }, { a: { c: { f: 4 } } })).toEqual({ a: { b: 1, c: { d: 2, f: 4 } }, e: 3 });
  });

  test("replaces lists and scalars instead of merging them", () => {
    expect(mergeValues({ list: [1, 2], n: 1, m: { x: 1 } }, { list: [3], n: 2, m: "flat" })).toEqual({ list: [3], n: 2, m: "flat" });
  });

  test("keeps a null, so that Helm removes the chart's default", () => {
    expect(mergeValues({ resources: { limits: { cpu: "1" } } }, { resources: null })).toEqual({ resources: null });
  });

  test("changes neither input", () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: 2 } };
    mergeValues(base, override);
    expect(base).toEqual({ a: { b: 1 } });
    expect(override).toEqual({ a: { c: 2 } });
  });
});
