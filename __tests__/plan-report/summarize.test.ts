import { CountKey, hasDestructiveChanges, hasDrift, StackSummary, summarize } from "../../tools/plan-report/summarize";
import { loadFixtures } from "./support";

function stackOf(fixtureName: string): StackSummary {
  return summarize(loadFixtures({ stack: fixtureName })).stacks[0];
}

/** Every count, zero unless given: a count that should stay zero is checked too. */
function counts(nonZero: Partial<Record<CountKey, number>>): Record<CountKey, number> {
  const zero = { create: 0, update: 0, replace: 0, delete: 0, "no-op": 0, import: 0, move: 0, read: 0, forget: 0 };
  return { ...zero, unrecognized: 0, ...nonZero };
}

function addresses(changes: StackSummary["changes"]): string[] {
  return changes.map((change) => change.resource.address);
}

describe("counts per stack", () => {
  test("a real plan with every action Terraform can plan offline", () => {
    const stack = stackOf("every-action.json");
    expect(stack.counts).toEqual(
      counts({ create: 1, update: 5, replace: 4, delete: 1, "no-op": 3, import: 2, move: 2, read: 1, forget: 1 }),
    );
    expect(stack.replaceOrders).toEqual({ "delete-then-create": 3, "create-then-delete": 1 });
    // Everything but the plain no-op is listed; an import or a move is a change even without an action.
    expect(addresses(stack.changes)).not.toContain("terraform_data.unchanged");
    expect(addresses(stack.changes)).toEqual(expect.arrayContaining(["terraform_data.imported", "terraform_data.new_name"]));
    expect(stack.changes).toHaveLength(15);
  });

  test("Helm releases, a PVC and an import on Kubernetes", () => {
    const stack = stackOf("kubernetes-stateful.json");
    expect(stack.counts).toEqual(counts({ create: 1, update: 2, replace: 2, delete: 3, "no-op": 3, import: 1, move: 1 }));
    expect(stack.replaceOrders).toEqual({ "create-then-delete": 1, "delete-then-create": 1 });
  });

  test("Docker volumes and containers", () => {
    expect(stackOf("docker-volumes.json").counts).toMatchObject({
      replace: 1,
      delete: 1,
      "no-op": 1,
      create: 0,
      update: 0,
    });
  });

  test("a plan without changes has only no-ops and lists nothing", () => {
    const stack = stackOf("no-changes.json");
    expect(stack.counts).toMatchObject({
      "no-op": 12,
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      import: 0,
      move: 0,
    });
    expect(stack.changes).toEqual([]);
    expect(stack.destructive).toEqual([]);
  });

  test("a first deployment only creates", () => {
    expect(stackOf("create-only.json").counts).toMatchObject({ create: 2, "no-op": 0, update: 0 });
  });
});

describe("deletes and replacements", () => {
  test("lists every delete and every replace that deletes, and nothing else", () => {
    const stack = stackOf("every-action.json");
    expect(addresses(stack.destructive).sort()).toEqual([
      "terraform_data.deleted",
      "terraform_data.replaced",
      "terraform_data.replaced_create_first",
      "terraform_data.requested",
      "terraform_data.tainted",
    ]);
  });

  test("puts stateful resources first and names what they are", () => {
    const stack = stackOf("kubernetes-stateful.json");
    expect(stack.destructive.map((change) => [change.resource.address, change.stateful?.label])).toEqual([
      ["helm_release.kafka_helm_release_9B13F0D2", "Kafka (Helm release)"],
      ["helm_release.platform-db_helm_release_3F6C2B18", "PostgreSQL (Helm release)"],
      ["helm_release.redis_helm_release_E1B8C64A", "Redis (Helm release)"],
      ["helm_release.vault_helm_release_6A5E2E1F", "Vault (Helm release)"],
      ["kubernetes_persistent_volume_claim_v1.postgres-wal", "PersistentVolumeClaim"],
    ]);
  });

  test("a Docker volume is stateful, a container is not", () => {
    const stack = stackOf("docker-volumes.json");
    expect(stack.destructive.map((change) => [change.resource.type, change.stateful?.label])).toEqual([
      ["docker_volume", "Docker volume"],
      ["docker_container", undefined],
    ]);
  });

  test("hasDestructiveChanges is true only when some stack deletes or replaces", () => {
    expect(hasDestructiveChanges(summarize(loadFixtures({ a: "no-changes.json", b: "create-only.json", c: "drift.json" })))).toBe(false);
    expect(hasDestructiveChanges(summarize(loadFixtures({ a: "no-changes.json", b: "docker-volumes.json" })))).toBe(true);
  });
});

describe("drift", () => {
  test("collects changes made outside Terraform apart from the plan's changes", () => {
    const stack = stackOf("drift.json");
    expect(stack.drift.map((change) => [change.resource.address, change.classified.kind])).toEqual([
      ["helm_release.vault_helm_release_6A5E2E1F", "update"],
      ["helm_release.redis_helm_release_E1B8C64A", "update"],
    ]);
    expect(stack.drift[0].attributes.map((attribute) => attribute.path)).toEqual([["metadata", "revision"], ["timeout"]]);
  });

  test("a deletion outside Terraform is drift too", () => {
    const stack = stackOf("kubernetes-stateful.json");
    expect(stack.drift.map((change) => [change.resource.address, change.classified.kind])).toContainEqual([
      "kubernetes_persistent_volume_claim_v1.redis-data",
      "delete",
    ]);
  });

  test("hasDrift: drift, or changes not applied yet; a data source read during apply is neither", () => {
    expect(hasDrift(summarize(loadFixtures({ a: "no-changes.json" })))).toBe(false);
    expect(hasDrift(summarize(loadFixtures({ a: "no-changes.json", b: "drift.json" })))).toBe(true);
    expect(hasDrift(summarize(loadFixtures({ a: "create-only.json" })))).toBe(true);
    const [readOnly] = loadFixtures({ a: "every-action.json" });
    const reads = (readOnly.plan.resource_changes ?? []).filter((resource) => resource.change.actions[0] === "read");
    expect(reads).toHaveLength(1);
    expect(hasDrift(summarize([{ ...readOnly, plan: { ...readOnly.plan, resource_changes: reads } }]))).toBe(false);
  });
});

describe("secrets", () => {
  test("collects every value marked sensitive, before and after", () => {
    const { secrets } = summarize(loadFixtures({ dev: "every-action.json", k8s: "kubernetes-stateful.json" }));
    expect([...secrets]).toEqual(
      expect.arrayContaining([
        "s3cr3t-version-1",
        "s3cr3t-version-2",
        "hvs.fixture-unseal-token-1",
        "hvs.fixture-unseal-token-2",
        "$2a$10$fixtureAdminHashOld",
        "$2a$10$fixtureAdminHashNew",
      ]),
    );
  });
});
