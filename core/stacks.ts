/**
 * Stack names beyond the environment's own: an environment that runs Vault on
 * Kubernetes has a second stack for Vault's configuration, named after it
 * (`dev-vault` for `dev`), since the Vault provider needs a running, unsealed
 * Vault at plan time and cannot share a stack with the release that installs it.
 */
export const VAULT_STACK_SUFFIX = "-vault";

/** `dev` → `dev-vault`. */
export function vaultStackName(environment: string): string {
  return `${environment}${VAULT_STACK_SUFFIX}`;
}
