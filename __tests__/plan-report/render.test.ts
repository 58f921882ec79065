import { DEFAULT_MAX_BYTES, markerLine, renderReport } from "../../tools/plan-report/render";
import { summarize } from "../../tools/plan-report/summarize";
import { largePlan, loadFixtures } from "./support";

function render(byStack: Readonly<Record<string, string>>, options: { detailsUrl?: string } = {}): string {
  const fitted = renderReport(summarize(loadFixtures(byStack)), { marker: "plan-report", ...options });
  expect(fitted.hidden).toBe(0);
  return fitted.text;
}

/** The lines of the `> [!CAUTION]` block. */
function cautionBlock(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf("> [!CAUTION]");
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && !line.startsWith(">"));
  return lines.slice(start, end);
}

const SECRETS = [
  "s3cr3t-version-1",
  "s3cr3t-version-2",
  "hvs.fixture-unseal-token-1",
  "hvs.fixture-unseal-token-2",
  "fixtureAdminHashOld",
  "fixtureAdminHashNew",
];

describe("the comment", () => {
  const every = {
    dev: "kubernetes-stateful.json",
    local: "docker-volumes.json",
    staging: "every-action.json",
    production: "no-changes.json",
  };

  test("starts with the hidden marker, then the verdict", () => {
    const lines = render(every).split("\n");
    expect(lines[0]).toBe("<!-- plan-report -->");
    expect(lines[1]).toBe("## Terraform plan: 🛑 12 deletions or replacements, 6 of them stateful, in `dev`, `local` and `staging`");
  });

  test("verdicts without deletes: changes, or nothing at all", () => {
    expect(render({ staging: "create-only.json", production: "no-changes.json" }).split("\n")[1]).toBe(
      "## Terraform plan: ✏️ changes in `staging`, nothing deleted",
    );
    expect(render({ production: "no-changes.json" }).split("\n")[1]).toBe("## Terraform plan: ✅ no changes");
  });

  test("warns about every delete and replace of every stack, stateful ones first and by name", () => {
    const block = cautionBlock(render(every));
    expect(block.slice(0, 3)).toEqual([
      "> [!CAUTION]",
      "> **12 addresses will be deleted or replaced.** 6 of them are stateful: their data is lost unless it is backed up and restored.",
      ">",
    ]);
    const items = block.slice(3);
    expect(items).toHaveLength(12);
    expect(items.slice(0, 6)).toEqual([
      "> - `dev` `helm_release.kafka_helm_release_9B13F0D2`: **delete** — 🛢️ **stateful: Kafka (Helm release)** — removed from the configuration",
      "> - `dev` `helm_release.platform-db_helm_release_3F6C2B18`: **replace** (create, then delete) — 🛢️ **stateful: PostgreSQL (Helm release)** — forced by `name`",
      "> - `dev` `helm_release.redis_helm_release_E1B8C64A`: **delete** — 🛢️ **stateful: Redis (Helm release)** — removed from the configuration",
      "> - `dev` `helm_release.vault_helm_release_6A5E2E1F`: **replace** (delete, then create) — 🛢️ **stateful: Vault (Helm release)** — forced by `namespace`",
      "> - `dev` `kubernetes_persistent_volume_claim_v1.postgres-wal`: **delete** — 🛢️ **stateful: PersistentVolumeClaim** — removed from the configuration",
      "> - `local` `docker_volume.postgres-data_volume_5E6F7A8B`: **delete** — 🛢️ **stateful: Docker volume** — removed from the configuration",
    ]);
    expect(items.slice(6)).toEqual([
      "> - `local` `docker_container.redis_container_1B2C3D4E`: **replace** (delete, then create) — forced by `image`",
      "> - `staging` `terraform_data.deleted`: **delete** — removed from the configuration",
      "> - `staging` `terraform_data.replaced`: **replace** (delete, then create) — forced by `triggers_replace`",
      "> - `staging` `terraform_data.replaced_create_first`: **replace** (create, then delete) — forced by `triggers_replace`",
      "> - `staging` `terraform_data.requested`: **replace** (delete, then create) — requested with `-replace`",
      "> - `staging` `terraform_data.tainted`: **replace** (delete, then create) — the object is tainted",
    ]);
  });

  test("says so when every deletion is stateful", () => {
    const text = render({ dev: "kubernetes-stateful.json" });
    expect(text.split("\n")[1]).toBe("## Terraform plan: 🛑 5 deletions or replacements, all stateful, in `dev`");
    expect(cautionBlock(text)[1]).toBe(
      "> **5 addresses will be deleted or replaced.** All of them are stateful: their data is lost unless it is backed up and restored.",
    );
  });

  test("has no warning when nothing is deleted", () => {
    expect(cautionBlock(render({ staging: "create-only.json" }))).toEqual([]);
  });

  test("gives each changed stack a section with its counts", () => {
    const text = render(every);
    expect(text).toContain(
      "### `staging`\n\n**Plan:** 1 to create · 5 to update · 4 to replace (3 delete-then-create, 1 create-then-delete) · " +
        "1 to delete · 2 to import · 2 to move · 3 unchanged · 1 to forget · 1 to read during apply\n",
    );
    expect(text).toContain(
      "### `dev`\n\n**Plan:** 1 to create · 2 to update · 2 to replace (1 delete-then-create, 1 create-then-delete) · " +
        "3 to delete · 1 to import · 1 to move · 3 unchanged\n",
    );
  });

  test("collapses a stack without changes into one line", () => {
    const text = render(every);
    expect(text).not.toContain("### `production`");
    expect(text).toContain("**No changes:** `production` (12 resources unchanged).");
  });

  test("lists each changed address with its changed attributes in collapsed details", () => {
    const text = render({ staging: "every-action.json" });
    expect(text).toContain(
      "<details><summary>15 changed addresses in <code>staging</code></summary>\n\n- `data.terraform_remote_state.later`: **read** during apply\n",
    );
    expect(text).toContain(
      "- `terraform_data.updated`: **update**\n" +
        '  - `input.image`: `"registry/app:1.0"` → `"registry/app:1.1"`\n' +
        "  - `input.replicas`: `2` → `3`\n",
    );
    expect(text).toContain("- `terraform_data.new_name`: **move** from `terraform_data.old_name`\n");
    expect(text).toContain(
      "- `terraform_data.imported_and_updated`: **import** (id `00000000-0000-0000-0000-000000000002`) + **update**\n",
    );
    expect(text).toContain("- `terraform_data.forgotten`: **forget** (leaves the state; the object is not destroyed)\n");
    expect(text).toContain('  - `triggers_replace`: `"revision-1"` → `"revision-2"` — **forces replacement**\n');
  });

  test("shows unknown values as known after apply", () => {
    expect(render({ staging: "every-action.json" })).toContain(
      "- `terraform_data.becomes_unknown`: **update**\n" +
        '  - `input`: `"static"` → _(known after apply)_\n' +
        '  - `output`: `"static"` → _(known after apply)_\n',
    );
  });

  test("never prints a sensitive value, and says that it changed", () => {
    const text = render(every);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).toContain("- `terraform_data.secret`: **update**\n  - `input`: _(sensitive value)_ → _(sensitive value)_\n");
    expect(text).toContain("  - `set_sensitive[0].value`: _(sensitive value)_ → _(sensitive value)_\n");
  });

  test("puts changes made outside Terraform in their own section, with a warning on top", () => {
    const text = render({ production: "drift.json", dev: "kubernetes-stateful.json" });
    expect(text).toContain(
      '> [!WARNING]\n> **Changed outside Terraform** in `production` (2) and `dev` (2): see "Changed outside Terraform" below.',
    );
    const section = text.slice(text.indexOf("### Changed outside Terraform"));
    expect(section).toContain(
      "<details><summary><code>production</code>: 2 resources changed outside Terraform</summary>\n\n" +
        "- `helm_release.vault_helm_release_6A5E2E1F`: **changed**\n" +
        "  - `metadata.revision`: `4` → `5`\n" +
        "  - `timeout`: `600` → `900`\n",
    );
    expect(section).toContain("- `kubernetes_persistent_volume_claim_v1.redis-data`: **deleted**\n");
  });

  test("names a deposed object, and treats actions from a newer Terraform as a deletion to review", () => {
    const [plan] = loadFixtures({ dev: "every-action.json" });
    const deleted = (plan.plan.resource_changes ?? []).find((resource) => resource.address === "terraform_data.deleted");
    if (deleted === undefined) throw new Error("fixture changed: no terraform_data.deleted");
    const resourceChanges = [
      { ...deleted, deposed: "a1b2c3d4" },
      { ...deleted, address: "terraform_data.future", change: { ...deleted.change, actions: ["delete", "archive"] } },
    ];
    const text = renderReport(summarize([{ ...plan, plan: { ...plan.plan, resource_changes: resourceChanges } }]), {
      marker: "m",
    }).text;
    expect(cautionBlock(text).slice(3)).toEqual([
      "> - `dev` `terraform_data.deleted` (deposed object `a1b2c3d4`): **delete** — removed from the configuration",
      '> - `dev` `terraform_data.future`: **unrecognized actions** `["delete","archive"]`; review the full plan — removed from the configuration',
    ]);
    expect(text).toContain("**1 with unrecognized actions**");
  });

  test("warns when a plan errored", () => {
    const [plan] = loadFixtures({ dev: "create-only.json" });
    const text = renderReport(summarize([{ ...plan, plan: { ...plan.plan, errored: true } }]), { marker: "m" }).text;
    expect(text).toContain("> The plan of `dev` stopped on an error and is incomplete; see the workflow log.");
  });

  test("links the full plans and uses the marker it is given", () => {
    const fitted = renderReport(summarize(loadFixtures({ dev: "create-only.json" })), {
      marker: "plan-report:drift",
      title: "Nightly drift check",
      detailsUrl: "https://github.com/o/r/actions/runs/1",
    });
    expect(fitted.text.startsWith(`${markerLine("plan-report:drift")}\n## Nightly drift check: `)).toBe(true);
    expect(fitted.text).toContain("[full plans](https://github.com/o/r/actions/runs/1)");
  });
});

describe("a plan too big for one comment", () => {
  const detailsUrl = "https://github.com/o/r/actions/runs/42";

  function balanced(text: string): void {
    expect((text.match(/<details>/g) ?? []).length).toBe((text.match(/<\/details>/g) ?? []).length);
    expect(text.split("\n").filter((line) => /^\s*```/.test(line)).length % 2).toBe(0);
  }

  test("is shortened below the limit, keeping every warning, with a note and a link to the full plans", () => {
    const summary = summarize([largePlan(60)]);
    const complete = renderReport(summary, { marker: "plan-report", maxBytes: Number.MAX_SAFE_INTEGER });
    expect(Buffer.byteLength(complete.text)).toBeGreaterThan(DEFAULT_MAX_BYTES);

    const fitted = renderReport(summary, { marker: "plan-report", detailsUrl });
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    expect(fitted.hidden).toBeGreaterThan(0);
    expect(fitted.text.split("\n")[0]).toBe("<!-- plan-report -->");
    expect(fitted.text).toContain(
      `> [!NOTE]\n> This comment is shortened to fit GitHub's 65,536-character limit: ${fitted.hidden} entries not shown. Read [the full plans](${detailsUrl}).`,
    );
    // All 300 deletes and replacements are still listed; details gave way first.
    expect(cautionBlock(fitted.text).filter((line) => line.startsWith("> - `big`"))).toHaveLength(300);
    expect(fitted.text).toMatch(new RegExp(`\\n- … and ${fitted.hidden} more addresses; see the full plan\\n`));
    balanced(fitted.text);
  });

  test("shortens even the warnings when they alone are too long, and stays valid", () => {
    const fitted = renderReport(summarize([largePlan(700)]), { marker: "plan-report", detailsUrl });
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    expect(fitted.text).toMatch(/\n> - … and \d+ more; see the full plan\n/);
    expect(fitted.text).toContain("**3,500 addresses will be deleted or replaced.**");
    balanced(fitted.text);
  });

  test("a report that fits is not shortened", () => {
    const fitted = renderReport(summarize([largePlan(2)]), { marker: "plan-report", detailsUrl });
    expect(fitted.hidden).toBe(0);
    expect(fitted.text).not.toContain("[!NOTE]");
  });
});
