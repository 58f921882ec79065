import * as path from "path";
import { LoadedPlan, loadPlans } from "../../tools/plan-report/load-plan";
import { Plan, ResourceChange } from "../../tools/plan-report/plan-json";

export const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** Fixtures by stack: `{ dev: "every-action.json" }`. */
export function loadFixtures(byStack: Readonly<Record<string, string>>): LoadedPlan[] {
  return loadPlans(Object.entries(byStack).map(([stack, name]) => ({ stack, file: fixture(name) })));
}

/**
 * A plan too big for one comment: the real changes of every-action.json
 * repeated under distinct addresses (terraform_data.replaced_17, …), so the
 * entries are exactly what Terraform writes, only many more of them.
 */
export function largePlan(copies: number): LoadedPlan {
  const [source] = loadFixtures({ big: "every-action.json" });
  const resourceChanges: ResourceChange[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const resource of source.plan.resource_changes ?? []) {
      resourceChanges.push({ ...resource, address: `${resource.address}_${copy}`, name: `${resource.name}_${copy}` });
    }
  }
  const plan: Plan = { ...source.plan, resource_changes: resourceChanges };
  return { stack: "big", file: "big.json", plan };
}
