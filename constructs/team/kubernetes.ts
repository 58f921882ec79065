import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { assertValidProps } from "../common/validate-props";
import { clientAccessLabel, NamespacePeer, PlatformNamespace } from "../kubernetes/platform-namespace";
import { KubernetesServiceProps, resolveServiceProps } from "../kubernetes/service-props";
import { TeamCredentials, TeamCredentialSources } from "./credentials";
import { ResolvedTeam, resolveTeam, TeamSpec, validateTeam } from "./spec";

/** Where one platform service takes clients: its namespace and ports. */
export interface ServiceEndpoint {
  readonly namespace: string;
  readonly ports: readonly number[];
}

/** The platform services a team may reach, as the stack built them; a service the team uses must be here. */
export interface TeamServiceEndpoints {
  readonly postgres?: ServiceEndpoint;
  readonly redis?: ServiceEndpoint;
  readonly kafka?: ServiceEndpoint;
  readonly vault?: ServiceEndpoint;
  /** The OpenTelemetry collector, which every team may send telemetry to. */
  readonly telemetry?: ServiceEndpoint;
}

export interface TeamProps extends Omit<KubernetesServiceProps, "monitoring"> {
  readonly spec: TeamSpec;
  /** @default - none: a team that uses a service needs its endpoint */
  readonly services?: TeamServiceEndpoints;
  /** Copy the team's credentials into its namespaces from these services' Secrets. @default - no credentials delivered */
  readonly credentials?: {
    readonly sources: TeamCredentialSources;
    /** External Secrets, running; typically `ExternalSecrets.ready`. */
    readonly secretsReady: readonly ITerraformDependable[];
  };
}

/** Label every namespace of a team carries, for selectors and cost reports. */
export const TEAM_LABEL = "platform/team";

/**
 * One application team's namespaces: Pod Security `restricted`, default-deny
 * NetworkPolicies with exactly the allows its declared services need (and the
 * `platform/access-<service>` labels that make those services admit it), a
 * ResourceQuota and a LimitRange per namespace.
 */
export class Team extends Construct {
  public readonly team: ResolvedTeam;
  public readonly namespaces: readonly PlatformNamespace[];
  public readonly quotas: readonly ResourceQuotaV1[];
  public readonly limitRanges: readonly LimitRangeV1[];
  /** Undefined without `credentials`. */
  public readonly credentials?: TeamCredentials;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    const used = usedServices(props.spec, props.services ?? {});
    assertValidProps(this, (problems) => {
      validateTeam(props.spec, service.context, problems.at("spec"));
      for (const [name, endpoint] of Object.entries(used.missing)) {
        problems.add(
          `services.${name}`,
          `the team uses ${name} but no endpoint was given`,
          endpoint,
          `pass the ${name} service's namespace and ports`,
        );
      }
    });
    this.team = resolveTeam(props.spec);
    const team = this.team;
    const labels = {
      [TEAM_LABEL]: team.name,
      ...Object.fromEntries(used.endpoints.map((endpoint) => [clientAccessLabel(endpoint.namespace), "true"])),
    };
    const egressTo: NamespacePeer[] = used.endpoints.map((endpoint) => ({ namespace: endpoint.namespace, ports: endpoint.ports }));

    const namespaces: PlatformNamespace[] = [];
    const quotas: ResourceQuotaV1[] = [];
    const limitRanges: LimitRangeV1[] = [];
    for (const name of team.namespaces) {
      const namespace = new PlatformNamespace(this, name, {
        name,
        podSecurity: "restricted",
        labels,
        egressTo,
        metricsPorts: team.metricsPorts,
        prometheusNamespace: service.prometheusNamespace,
      });
      const metadata = { name: "team", namespace: namespace.namespace.metadata.name, labels: { [TEAM_LABEL]: team.name } };
      quotas.push(
        new ResourceQuotaV1(namespace, "quota", {
          metadata,
          spec: {
            hard: {
              "requests.cpu": team.quota.cpu,
              "requests.memory": team.quota.memory,
              "limits.memory": team.quota.memory,
              pods: String(team.quota.pods),
              "requests.storage": team.quota.storage,
              persistentvolumeclaims: String(team.quota.persistentVolumeClaims),
            },
          },
        }),
      );
      const defaults = team.containerDefaults;
      limitRanges.push(
        new LimitRangeV1(namespace, "limits", {
          metadata,
          spec: {
            limit: [
              {
                type: "Container",
                // A container that declares nothing still fits the quota, which counts requests and memory limits.
                defaultRequest: { cpu: defaults.requests.cpu, memory: defaults.requests.memory },
                default: { memory: defaults.limits.memory },
              },
            ],
          },
        }),
      );
      namespaces.push(namespace);
    }
    this.namespaces = namespaces;
    this.quotas = quotas;
    this.limitRanges = limitRanges;
    if (props.credentials) {
      this.credentials = new TeamCredentials(this, "credentials", {
        team,
        sources: props.credentials.sources,
        secretsReady: props.credentials.secretsReady,
        dependsOn: namespaces.flatMap((namespace) => namespace.dependables),
      });
    }
  }

  /** What a release that deploys into the team's namespaces must wait for. */
  public get dependables(): ITerraformDependable[] {
    return this.namespaces.flatMap((namespace) => namespace.dependables);
  }
}

/** The endpoints of the services a team declares, and the names of those the stack did not pass. */
function usedServices(
  spec: TeamSpec,
  services: TeamServiceEndpoints,
): { endpoints: ServiceEndpoint[]; missing: Record<string, undefined> } {
  const wanted: Array<[keyof TeamServiceEndpoints, boolean]> = [
    ["postgres", spec.postgres !== undefined],
    ["redis", spec.redis === true],
    ["kafka", spec.kafka !== undefined],
    ["vault", (spec.vault?.serviceAccounts ?? []).length > 0],
    ["telemetry", services.telemetry !== undefined],
  ];
  const endpoints: ServiceEndpoint[] = [];
  const missing: Record<string, undefined> = {};
  for (const [name, uses] of wanted) {
    if (!uses) continue;
    const endpoint = services[name];
    if (endpoint) endpoints.push(endpoint);
    else missing[name] = undefined;
  }
  return { endpoints, missing };
}
