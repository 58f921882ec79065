import { closest, editDistance } from "../../core/suggest";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["work_mem", "work_mem", 0],
    ["kitten", "sitting", 3],
    ["shared_buffer", "shared_buffers", 1],
    ["work-mem", "work_mem", 1],
    ["flaw", "lawn", 2],
  ])("%j to %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closest", () => {
  const names = ["shared_buffers", "work_mem", "maintenance_work_mem", "max_wal_size", "min_wal_size"];

  test("suggests the name a typo meant", () => {
    expect(closest("shared_bufers", names)).toBe("shared_buffers");
    expect(closest("work-mem", names)).toBe("work_mem");
    expect(closest("maintenance_workmem", names)).toBe("maintenance_work_mem");
  });

  test("compares case-insensitively and returns the candidate's spelling", () => {
    expect(closest("Shared_Buffers", names)).toBe("shared_buffers");
  });

  test("fails when nothing is close: no suggestion for an unrelated word", () => {
    expect(closest("fsync_mode", names)).toBeUndefined();
    expect(closest("x", names)).toBeUndefined();
    expect(closest("anything", [])).toBeUndefined();
  });

  test("ties go to the candidate listed first", () => {
    expect(closest("m_wal_size", names)).toBe("max_wal_size");
    expect(closest("m_wal_size", [...names].reverse())).toBe("min_wal_size");
  });

  test("the distance allowed is a third of the name, at least 1, unless given", () => {
    // "abcdef" allows 2 edits: "abcxyz" (3) is too far, "abcdxy" (2) is not.
    expect(closest("abcdef", ["abcxyz"])).toBeUndefined();
    expect(closest("abcdef", ["abcdxy"])).toBe("abcdxy");
    expect(closest("ab", ["ax"])).toBe("ax");
    expect(closest("abcdef", ["abcxyz"], 3)).toBe("abcxyz");
    expect(closest("abcdef", ["abcdxy"], 1)).toBeUndefined();
  });
});
