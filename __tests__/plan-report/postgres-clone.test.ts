import { renderReport } from "../../tools/plan-report/render";
import { summarize } from "../../tools/plan-report/summarize";
import { loadFixtures } from "./support";

/**
 * postgres-clone-refresh.json: staging's plan after its clone's refresh
 * marker changed from 1 to 2, written by hand from the synthesized stack (the
 * helm and kubernetes providers cannot plan offline) in the shape of a real
 * Terraform 1.11 plan: the marker is updated; the clone's release, its
 * sanitising Job and its credentials release are replaced by
 * `replace_triggered_by` (which __tests__/constructs/replace-triggers.test.ts
 * shows the real Terraform doing).
 */
describe("a refresh of staging's PostgreSQL clone in the pull request's plan", () => {
  const summary = summarize(loadFixtures({ staging: "postgres-clone-refresh.json" }));
  const [stack] = summary.stacks;

  test("is a stateful replacement of the clone's release, flagged as PostgreSQL", () => {
    expect(stack.destructive.map((change) => [change.resource.address, change.stateful?.label])).toEqual([
      ["helm_release.postgres_cluster-platform_release_669B9AD1", "PostgreSQL (Helm release)"],
      ["helm_release.postgres_clone-platform-sanitised_helm_release_C635F0A6", "PostgreSQL (Helm release)"],
      ["kubernetes_job_v1.postgres_clone-platform-sanitise_CC5F8834", undefined],
    ]);
    expect(stack.counts).toMatchObject({ replace: 3, update: 1, delete: 0, create: 0 });
  });

  test("the comment calls out the replacement, its reason, and the marker and server name that changed", () => {
    const text = renderReport(summary, { marker: "plan-report" }).text;
    const lines = text.split("\n");
    expect(lines[1]).toBe("## Terraform plan: 🛑 3 deletions or replacements, 2 of them stateful, in `staging`");
    expect(lines).toContain(
      "> - `staging` `helm_release.postgres_cluster-platform_release_669B9AD1`: **replace** (delete, then create) — 🛢️ **stateful: PostgreSQL (Helm release)** — `replace_triggered_by`",
    );
    expect(text).toContain('- `terraform_data.postgres_clone-platform-refresh_19936EE4`: **update**\n  - `input.refresh`: `"1"` → `"2"`');
    expect(text).toMatch(/- +serverName: platform-1-[0-9a-f]{8}\n +\+ +serverName: platform-2-[0-9a-f]{8}/);
  });
});
