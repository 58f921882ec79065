import { Breach, consensusSizeProblem, describeBreach, postgresInstancesProblem, sentinelProblem } from "../../core/ha-rules";
import { tierOfEnvironment } from "../../core/tiers";

const describe_ = (breach: Breach | undefined) => (breach === undefined ? undefined : describeBreach(breach));

describe("raft voters and KRaft controllers", () => {
  test.each([3, 5])("%i members are accepted in every tier", (count) => {
    for (const tier of ["development", "staging", "production"] as const)
      expect(consensusSizeProblem(count, tier, "voters")).toBeUndefined();
  });

  test("one member is accepted in development only", () => {
    expect(consensusSizeProblem(1, "development", "voters")).toBeUndefined();
    expect(describe_(consensusSizeProblem(1, "staging", "voters"))).toBe(
      "a staging environment needs 3 or 5 voters to survive losing one; use 3 or 5: 3 tolerates one failure, 5 tolerates two",
    );
  });

  test("fails when the count is even, in development too", () => {
    expect(describe_(consensusSizeProblem(2, "development", "controllers"))).toBe(
      "2 controllers tolerate no more failures than 1, and a split vote stalls; use 1, 3 or 5",
    );
    expect(describe_(consensusSizeProblem(4, "production", "controllers"))).toMatch(
      /^4 controllers tolerate no more failures than 3, .*; use 3 or 5$/,
    );
  });

  test("fails when there are more than 5 or none", () => {
    expect(describe_(consensusSizeProblem(7, "development", "voters"))).toBe(
      "7 voters tolerate no more failures than 5 and slow every commit; use 1, 3 or 5",
    );
    expect(describe_(consensusSizeProblem(0, "production", "voters"))).toBe("0 voters cannot form a quorum; use 3 or 5");
  });
});

describe("sentinels", () => {
  test("3 sentinels with quorum 2, and 5 with quorum 3, are accepted", () => {
    expect(sentinelProblem(3, 2)).toBeUndefined();
    expect(sentinelProblem(5, 3)).toBeUndefined();
  });

  test("fails when there are fewer than 3 sentinels", () => {
    expect(describe_(sentinelProblem(2, 2))).toBe("2 sentinels cannot elect a leader after a failure; use 3 or 5");
  });

  test("fails when the quorum is not a majority", () => {
    expect(describe_(sentinelProblem(5, 2))).toBe(
      "quorum 2 of 5 sentinels is not a majority (a minority partition can declare the primary down); use 3",
    );
    expect(describe_(sentinelProblem(3, 4))).toBe("quorum 4 of 3 sentinels is not a majority (failover can never start); use 2");
  });
});

describe("CloudNativePG instances", () => {
  test("the minimum follows the tier: 1, 2, 3", () => {
    expect(postgresInstancesProblem(1, "development")).toBeUndefined();
    expect(postgresInstancesProblem(2, "staging")).toBeUndefined();
    expect(postgresInstancesProblem(3, "production")).toBeUndefined();
  });

  test("fails when a tier runs fewer", () => {
    expect(describe_(postgresInstancesProblem(1, "staging"))).toBe(
      "1 instance in a staging environment cannot survive losing one; use 2 or more",
    );
    expect(describe_(postgresInstancesProblem(2, "production"))).toBe(
      "2 instances in a production environment cannot survive losing one while another is being replaced; use 3 or more",
    );
    expect(describe_(postgresInstancesProblem(0, "development"))).toBe("0 instances run no database; use 1 or more");
  });
});

describe("tiers of stacks that declare none", () => {
  test.each([
    ["local", "development"],
    ["dev", "development"],
    ["staging", "staging"],
    ["qa", "staging"],
    ["production", "production"],
    ["dev-vault", "development"],
    ["production-vault", "production"],
  ])("%s is %s", (name, tier) => {
    expect(tierOfEnvironment(name)).toBe(tier);
  });
});
