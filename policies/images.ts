/**
 * Why an image reference is not pinned, or undefined when it is: a digest, or
 * a tag other than `latest`. Mirrors kube-linter's `latest-tag` block list.
 */
export function unpinnedImage(image: string): string | undefined {
  const reference = image.trim();
  if (reference === "") return "has no image";
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return undefined;
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return `image "${reference}" has no tag, so it runs whatever "latest" is when the node pulls`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === "" || tag.toLowerCase() === "latest") return `image "${reference}" uses the moving tag "${tag}"`;
  return undefined;
}

export const PIN_IMAGE_FIX = "pin a version tag (e.g. redis:8.8.0-alpine) or a digest (@sha256:…)";
