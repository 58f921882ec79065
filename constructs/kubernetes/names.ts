import { isDns1123Label } from "../../core/formats";
import { ProblemCollector } from "../../core/problems";

/** Helm stores a release in Secrets named after it and labels objects with it: 53 characters at most. */
export const MAX_RELEASE_NAME_LENGTH = 53;
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A namespace prop: a DNS-1123 label. */
export function checkNamespaceName(problems: ProblemCollector, field: string, value: string): void {
  problems.check(
    typeof value === "string" && isDns1123Label(value),
    field,
    "namespace name is not a DNS-1123 label",
    value,
    "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
  );
}

/** A Helm release name prop: what `helm install` accepts. */
export function checkReleaseName(problems: ProblemCollector, field: string, value: string): void {
  problems.check(
    typeof value === "string" && value.length <= MAX_RELEASE_NAME_LENGTH && RELEASE_NAME.test(value),
    field,
    "Helm release name is not allowed",
    value,
    `use at most ${MAX_RELEASE_NAME_LENGTH} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
  );
}
