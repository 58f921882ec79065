import * as containers from "./rules/containers";
import * as disruption from "./rules/disruption";
import * as docker from "./rules/docker";
import * as helm from "./rules/helm";
import * as ha from "./rules/high-availability";
import * as namespaces from "./rules/namespaces";
import * as secrets from "./rules/secrets";
import * as state from "./rules/state";
import * as waivers from "./rules/waivers";
import { RETIRED_RULES } from "./retired";

export { RETIRED_RULES } from "./retired";
export type { RetiredRule } from "./retired";

/** Every active rule, in README order. Ids are permanent: retire a rule (RETIRED_RULES), never renumber one. */
export const RULES = [
  helm.helmVersionPinned,
  helm.helmRepositoryAllowed,
  helm.helmAtomic,
  helm.helmHistoryBounded,
  helm.helmTimeoutSet,
  helm.helmValuesReadable,
  containers.imagePinned,
  containers.runAsNonRoot,
  containers.noPrivilegeEscalation,
  containers.capabilitiesDropped,
  containers.seccompRuntimeDefault,
  containers.notPrivileged,
  containers.resourcesSet,
  namespaces.namespacePodSecurity,
  namespaces.namespaceDefaultDeny,
  disruption.budgetWhenReplicated,
  disruption.noBudgetWhenSingle,
  disruption.budgetAllowsDisruption,
  ha.spreadInProduction,
  ha.vaultRaftVoters,
  ha.redisSentinelQuorum,
  ha.kraftControllers,
  ha.postgresInstances,
  docker.dockerImagePinned,
  docker.dockerNotPrivileged,
  docker.dockerPortsLoopback,
  docker.dockerHealthcheck,
  docker.dockerMemoryLimit,
  state.remoteLockedState,
  state.noBackendCredentials,
  secrets.noLiteralSecrets,
  secrets.noPrivateKeys,
  secrets.noHighEntropyStrings,
  waivers.waiverHasReason,
  waivers.waiverUsed,
] as const;

/** The id of an active rule in the catalogue; waivers take only these. */
export type RuleId = (typeof RULES)[number]["id"];

/** The id of a retired rule: reserved, never reused. */
export type RetiredRuleId = (typeof RETIRED_RULES)[number]["id"];
