import { iso8601InstantMillis, isServerUrl } from "../../core/formats";

describe("isServerUrl", () => {
  test.each([["https://127.0.0.1:8200"], ["https://s3.gra.io.cloud.ovh.net"], ["https://vault.example.com/"]])("accepts %s", (value) => {
    expect(isServerUrl(value)).toBe(true);
  });

  test.each([
    ["http://vault:8200", "plain http"],
    ["https://user:secret@vault:8200", "credentials"],
    ["https://vault:8200/v1", "a path"],
    ["https://vault:8200?x=1", "a query"],
    ["https://vault:8200#x", "a fragment"],
    ["vault:8200", "no scheme"],
    ["", "nothing"],
  ])("refuses %s (%s)", (value) => {
    expect(isServerUrl(value)).toBe(false);
  });

  test("takes other schemes when asked", () => {
    expect(isServerUrl("http://localhost:9000", ["http:"])).toBe(true);
    expect(isServerUrl("https://localhost:9000", ["http:"])).toBe(false);
  });
});

describe("iso8601InstantMillis", () => {
  test("reads an instant with seconds and a zone", () => {
    expect(iso8601InstantMillis("2026-08-01T06:00:00Z")).toBe(Date.UTC(2026, 7, 1, 6));
    expect(iso8601InstantMillis("2026-08-01T08:00:00.5+02:00")).toBe(Date.UTC(2026, 7, 1, 6, 0, 0, 500));
  });

  test.each([["2026-08-01"], ["2026-08-01T06:00Z"], ["2026-08-01T06:00:00"], ["2026-02-30T06:00:00Z"], ["2026-08-01T06:00:00+24:00"]])(
    "is undefined for %s",
    (value) => {
      expect(iso8601InstantMillis(value)).toBeUndefined();
    },
  );
});
