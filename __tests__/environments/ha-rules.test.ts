import { consensusSizeProblem, postgresInstancesProblem, sentinelProblem } from "../../environments/ha-rules";

describe("raft voters and KRaft controllers", () => {
  test.each([3, 5])("%i members are accepted everywhere", (count) => {
    for (const environment of ["dev", "staging", "production"]) expect(consensusSizeProblem(count, environment, "voters")).toBeUndefined();
  });

  test("one member is accepted in dev and local only", () => {
    expect(consensusSizeProblem(1, "dev", "voters")).toBeUndefined();
    expect(consensusSizeProblem(1, "local", "voters")).toBeUndefined();
    expect(consensusSizeProblem(1, "staging", "voters")).toBe("1 voters in staging; use 3 (tolerates one failure) or 5 (tolerates two)");
  });

  test("fails when the count is even, in dev too", () => {
    expect(consensusSizeProblem(2, "dev", "controllers")).toBe(
      "2 controllers tolerate no more failures than 1, and a split vote stalls; use 1, 3 or 5",
    );
    expect(consensusSizeProblem(4, "production", "controllers")).toMatch(/^4 controllers in production; use 3/);
  });

  test("fails when there are more than 5 or none", () => {
    expect(consensusSizeProblem(7, "production", "voters")).toMatch(/^7 voters in production/);
    expect(consensusSizeProblem(0, "dev", "voters")).toBe("0 voters cannot form a quorum; use 3 or 5");
  });
});

describe("sentinels", () => {
  test("3 sentinels with quorum 2, and 5 with quorum 3, are accepted", () => {
    expect(sentinelProblem(3, 2)).toBeUndefined();
    expect(sentinelProblem(5, 3)).toBeUndefined();
  });

  test("fails when there are fewer than 3 sentinels", () => {
    expect(sentinelProblem(2, 2)).toBe("2 sentinels cannot elect a leader after a failure; use 3 or 5");
  });

  test("fails when the quorum is not a majority", () => {
    expect(sentinelProblem(5, 2)).toBe("quorum 2 of 5 sentinels is not a majority (a minority partition can declare the primary down); use 3");
    expect(sentinelProblem(3, 4)).toBe("quorum 4 of 3 sentinels is not a majority (failover can never start); use 2");
  });
});

describe("CloudNativePG instances", () => {
  test("one instance is accepted in dev, not in staging or production", () => {
    expect(postgresInstancesProblem(1, "dev")).toBeUndefined();
    expect(postgresInstancesProblem(1, "production")).toBe(
      "1 instance in production leaves no standby to fail over to; use 2 or more (3 recommended)",
    );
    expect(postgresInstancesProblem(3, "production")).toBeUndefined();
  });

  test("fails when there is no instance at all", () => {
    expect(postgresInstancesProblem(0, "dev")).toBe("0 instances run no database; use 1 in development, 3 elsewhere");
  });
});
