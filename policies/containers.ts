import { derived, StackInventory } from "./inventory";
import { JsonObject, objectAt, objectsAt, stringAt } from "./json";
import { podTemplateOf, RenderedObject } from "./kubernetes-objects";

/** One container of a pod we render, with the pod spec it runs in. */
export interface ContainerView {
  readonly object: RenderedObject;
  readonly pod: JsonObject;
  readonly container: JsonObject;
  readonly init: boolean;
  /** For messages: `container "api" (containers[0]) of Deployment "api"`. */
  readonly describe: string;
}

/** Every container and init container of every pod template the stack renders. */
export const containersOf = derived((inventory: StackInventory): readonly ContainerView[] => {
  const views: ContainerView[] = [];
  for (const object of inventory.objects) {
    const template = podTemplateOf(object);
    if (template === undefined) continue;
    for (const [field, init] of [
      ["initContainers", true],
      ["containers", false],
    ] as const) {
      objectsAt(template.spec[field]).forEach((container, index) => {
        const name = stringAt(container.name) ?? "";
        views.push({
          object,
          pod: template.spec,
          container,
          init,
          describe: `container "${name}" (${field}[${index}]) of ${object.describe}`,
        });
      });
    }
  }
  return views;
});

/** A security context field as the kubelet applies it: the container's, else the pod's. */
export function effectiveSecurity(view: ContainerView, field: string): unknown {
  const own = objectAt(view.container.securityContext)[field];
  return own !== undefined ? own : objectAt(view.pod.securityContext)[field];
}
