import { Aspects, TerraformAsset, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { deepMerge } from "cdktf/lib/util";
import { IConstruct } from "constructs";
import { PolicyAspect } from "../policies/aspect";

/** cdktf's mark of a construct with a custom synthesis step (cdktf/lib/synthesize/synthesizer). */
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

/**
 * `app.synth()` resolves every element of a stack twice: `prepareStack()` resolves them all to
 * find cross-stack references and drops the result, then `toTerraform()` resolves them again
 * to write them. This keeps what the preparation resolved and lets the next `toTerraform()`
 * use it (once), when it is still what `toTerraform()` would compute:
 *
 * - the stack has the same elements, in the same order (a cross-stack reference that any
 *   stack's preparation found adds elements);
 * - no aspect that could have changed them ran since: the stack's only aspects are policy
 *   aspects, which read;
 * - no custom synthesis step other than an asset's (which copies files) or the stack's own
 *   (the policy check) ran in between.
 *
 * Otherwise `toTerraform()` computes as cdktf does. The rest mirrors cdktf 0.21.0's
 * `TerraformStack.toTerraform()` (metadata, outputs, overrides, one last resolve when there
 * are stack overrides), so the JSON is cdktf's byte for byte: __tests__/stacks/run-synth.test.ts
 * compares every stack with cdktf's own synth.
 */
export function resolveOnce(stack: TerraformStack): void {
  let prepared: { readonly elements: readonly TerraformElement[]; readonly fragments: readonly unknown[] } | undefined;
  stack.prepareStack = () => {
    stack.ensureBackendExists();
    const elements = terraformElements(stack);
    prepared = { elements, fragments: elements.map((element) => resolve(stack, element.toTerraform(), true)) };
  };
  const computeTerraform = stack.toTerraform.bind(stack);
  stack.toTerraform = () => {
    const reusable = prepared;
    prepared = undefined;
    if (reusable === undefined || !unchangedSincePreparation(stack, reusable.elements)) return computeTerraform();
    return terraformOf(stack, reusable.elements, reusable.fragments);
  };
}

function unchangedSincePreparation(stack: TerraformStack, elements: readonly TerraformElement[]): boolean {
  const now = terraformElements(stack);
  if (now.length !== elements.length || now.some((element, index) => element !== elements[index])) return false;
  return stack.node.findAll().every((node) => onlyReads(node, stack));
}

function onlyReads(node: IConstruct, stack: TerraformStack): boolean {
  if (!Aspects.of(node).all.every((aspect) => aspect instanceof PolicyAspect)) return false;
  return node === stack || node instanceof TerraformAsset || !(CUSTOM_SYNTHESIS in node);
}

/** The stack's elements in cdktf's order, without those of nested stacks. */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}

/** cdktf 0.21.0's TerraformStack.toTerraform(), with the elements' resolved fragments given. */
function terraformOf(stack: TerraformStack, elements: readonly TerraformElement[], fragments: readonly unknown[]): unknown {
  const internals = stack as unknown as { readonly rawOverrides: Record<string, unknown>; readonly cdktfVersion: string };
  const overridden = Object.keys(internals.rawOverrides);
  const metadata: Record<string, unknown> = {
    version: internals.cdktfVersion,
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(overridden.length > 0 ? { overrides: { stack: overridden } } : {}),
  };
  for (const element of elements) deepMerge(metadata, resolve(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path
      .split("/")
      .reduceRight<Record<string, unknown>>(
        (inner, part) => (Object.keys(inner).length === 0 ? { [part]: element.friendlyUniqueId } : { [part]: inner }),
        {},
      );
    deepMerge(outputs, nested);
  }
  const tf: Record<string, unknown> = { "//": { metadata, outputs } };
  for (const fragment of fragments) deepMerge(tf, fragment);
  // cdktf resolves the merged document once more, for the tokens stack-level overrides may hold; without
  // overrides every part is resolved already, and resolving plain data again only drops undefined values,
  // which the written JSON leaves out anyway.
  if (overridden.length === 0) return tf;
  deepMerge(tf, internals.rawOverrides);
  return resolve(stack, tf);
}
