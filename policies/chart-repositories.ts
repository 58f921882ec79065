/**
 * Chart repositories releases may install from: the vendors' own, over https
 * or OCI. A new repository is a supply-chain decision; add it here in its own
 * reviewed change. The project's own charts (local paths shipped as assets)
 * need no entry.
 */
export const ALLOWED_CHART_REPOSITORIES: readonly string[] = [
  "https://helm.releases.hashicorp.com",
  "https://dandydeveloper.github.io/charts",
  "https://cloudnative-pg.github.io/charts",
  "oci://quay.io/strimzi-helm",
  "https://argoproj.github.io/argo-helm",
  "https://prometheus-community.github.io/helm-charts",
  "https://grafana-community.github.io/helm-charts",
  "https://open-telemetry.github.io/opentelemetry-helm-charts",
  "https://charts.external-secrets.io",
  // cert-manager's legacy HTTP repository: the OCI chart (oci://quay.io/jetstack/charts) is published first,
  // this one a few hours later with the same chart (cert-manager website, installation/helm.md).
  "https://charts.jetstack.io",
];

/** `https://host/path/` and `https://host/path` are the same repository. */
export function normalizeRepository(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

export function isAllowedRepository(url: string): boolean {
  return ALLOWED_CHART_REPOSITORIES.includes(normalizeRepository(url));
}
