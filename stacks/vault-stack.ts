import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ConfigurationError, formatProblem, ProblemCollector } from "../core/problems";
import { checkStructure } from "../core/schema";
import { vaultStackName } from "../core/stacks";
import { isEnabled } from "../constructs/services";
import { VaultConfiguration } from "../constructs/vault-config/configuration";
import { platformVaultConfiguration } from "../constructs/vault-config/platform";
import { ENVIRONMENT_SCHEMA } from "../environments/schema";
import { KubernetesEnvironmentConfig, VaultAccessConfig } from "../environments/types";
import { serviceContext, validateVaultAccess } from "../environments/validate";
import { configureStateBackend, StateBackendOptions } from "./state-backend";

/**
 * The Secret, in Vault's namespace, whose key holds the environment's internal
 * CA, which signed Vault's server certificate (cert-manager writes it with the
 * certificate). CI and operators read the CA from it to trust Vault.
 */
export const VAULT_CA_SECRET = { name: "vault-tls", key: "ca.crt" } as const;

export interface VaultStackProps {
  /** The environment whose Vault this configures: it runs Vault and declares `vaultAccess`. */
  readonly environment: KubernetesEnvironmentConfig;
  /** The file the environment is declared in, for messages. @default "environments/<name>.ts" */
  readonly file?: string;
  /** @default - the environment's declared state */
  readonly state?: StateBackendOptions;
}

/**
 * Vault's configuration for one environment, in a stack of its own
 * (`<environment>-vault`): the Vault provider must reach an initialised,
 * unsealed Vault to plan, so it cannot share a stack with the Helm release
 * that installs Vault. Applied after the environment's platform stack. The
 * provider's address and CA come from the environment file; its token only
 * from VAULT_TOKEN (or the Vault CLI's token helper), never from the code.
 * State: `<keyPrefix>/<environment>-vault.tfstate`, beside the platform's.
 */
export class VaultStack extends TerraformStack {
  public readonly environment: KubernetesEnvironmentConfig;
  public readonly access: VaultAccessConfig;
  public readonly provider: VaultProvider;
  public readonly configuration: VaultConfiguration;

  constructor(scope: Construct, props: VaultStackProps) {
    super(scope, vaultStackName(props.environment.name));
    const environment = props.environment;
    this.environment = environment;
    this.access = checkedAccess(environment, props.file ?? `environments/${environment.name}.ts`);
    configureStateBackend(this, environment, props.state);

    this.provider = new VaultProvider(this, "vault", {
      address: this.access.address,
      // The provider reads the file as written: Terraform expands `~` for it.
      caCertFile: Fn.pathexpand(this.access.caCertFile),
      tlsServerName: this.access.tlsServerName,
      // Set, so that VAULT_SKIP_VERIFY or TERRAFORM_VAULT_SKIP_CHILD_TOKEN in a shell cannot change them:
      // the certificate is always checked, and Terraform works with a short-lived child token.
      skipTlsVerify: false,
      skipChildToken: false,
    });

    this.configuration = new VaultConfiguration(this, "configuration", {
      spec: platformVaultConfiguration(environment.services ?? {}, serviceContext(environment), environment.teams),
      preventDestroy: environment.protectFromDestroy ?? false,
    });
  }
}

/** The environment's vaultAccess, or one error naming its file and every problem, in the project's format. */
function checkedAccess(environment: KubernetesEnvironmentConfig, file: string): VaultAccessConfig {
  const problems = new ProblemCollector();
  const fail = () => new ConfigurationError(problems.problems.map((problem) => formatProblem(file, problem)));
  // Its rules read fields as the types say they are: only an environment of that shape reaches them.
  if (!checkStructure(ENVIRONMENT_SCHEMA, environment, problems)) throw fail();
  problems.check(
    isEnabled(environment.services ?? {}, "vault"),
    "services.vault.enabled",
    "the environment does not run Vault, so there is no Vault to configure",
    false,
    "enable Vault, or do not build a Vault stack for this environment",
  );
  validateVaultAccess(environment, problems);
  const access = environment.vaultAccess;
  if (problems.problems.length > 0 || access === undefined) throw fail();
  return access;
}
