import { mergeValues } from "../../constructs/helm/merge-values";
import { chartValues, parseSetPath } from "../../policies/helm-values";

describe("chart values", () => {
  test("set paths follow Helm's --set syntax", () => {
    expect(parseSetPath("server.ha.replicas")).toEqual(["server", "ha", "replicas"]);
    expect(parseSetPath("podAnnotations.prometheus\\.io/scrape")).toEqual(["podAnnotations", "prometheus.io/scrape"]);
    expect(parseSetPath("tolerations[0].key")).toEqual(["tolerations", 0, "key"]);
  });

  test("values documents merge map by map, later ones winning", () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: 3 }, l: [2] })).toEqual({ a: { b: 1, c: 3 }, l: [2] });
  });

  test("set and set_list apply on top of the values, typed as Helm types them", () => {
    const { values, problems } = chartValues({
      values: ["server:\n  ha:\n    replicas: 3\n    enabled: false\n"],
      set: [
        { name: "server.ha.replicas", value: "5" },
        { name: "server.ha.enabled", value: "true" },
        { name: "server.image.tag", value: "1.2", type: "string" },
      ],
      set_list: [{ name: "server.args", value: ["-v", "2"] }],
    });
    expect(problems).toEqual([]);
    expect(values).toEqual({ server: { ha: { replicas: 5, enabled: true }, image: { tag: "1.2" }, args: ["-v", 2] } });
  });

  test("set_sensitive is not merged: it holds secrets, which the secret scan reads in place", () => {
    expect(chartValues({ set_sensitive: [{ name: "auth.password", value: "x" }] }).values).toEqual({});
  });

  test("fails when a values entry is not one YAML mapping", () => {
    expect(chartValues({ values: ["- a\n- b\n"] }).problems).toEqual(["values[0] is not a YAML mapping"]);
    expect(chartValues({ values: [42] }).problems).toEqual(["values[0] is not a string of YAML"]);
  });
});
