import { ProblemCollector } from "../../core/problems";
import { ServiceContext } from "../../core/service-context";
import { ROOT_APPLICATION } from "../argocd/apps";
import { checkTopic, resolveKafka, topicResourceName } from "../kafka/spec";
import { resolvePostgres } from "../postgres/spec";
import { isEnabled, PlatformServicesConfig, SERVICE_TITLES, ServiceName } from "../services";
import { resolveTeam, ResolvedTeam, TeamSpec, teamRoleName, validateTeam } from "./spec";

/** What the teams of an environment are checked against. */
export interface TeamsContext extends ServiceContext {
  /** The environment's name: also its Argo CD project, which no team may replace. */
  readonly environmentName: string;
  readonly services: PlatformServicesConfig;
  /** Namespaces the platform creates or Kubernetes owns: no team may take one. */
  readonly reservedNamespaces: readonly string[];
}

/** Namespaces of Kubernetes itself. */
export const SYSTEM_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Every team on its own (validateTeam), then what teams name elsewhere: the
 * services they use must be enabled, the PostgreSQL cluster and the topics
 * they read must exist, and no two teams (or a team and the platform) may
 * own one namespace, database or topic. Problems are recorded at `teams[i]`.
 */
export function validateTeams(teams: readonly TeamSpec[], context: TeamsContext, problems: ProblemCollector): void {
  const at = problems.at("teams");
  const sound: Array<[number, ResolvedTeam]> = [];
  teams.forEach((spec, index) => {
    const before = problems.problems.length;
    validateTeam(spec, context, at.at(index));
    if (problems.problems.length === before) sound.push([index, resolveTeam(spec)]);
  });

  const names = new Map<string, number>();
  const namespaces = new Map<string, string>();
  for (const [index, team] of sound) {
    const here = at.at(index);
    const other = names.get(team.name);
    here.check(other === undefined, "name", `team name is already used by teams[${other}]`, team.name, "give every team its own name");
    if (context.target === "kubernetes" && team.repository !== undefined) {
      here.check(
        team.name !== context.environmentName && team.name !== ROOT_APPLICATION,
        "name",
        `the team's Argo CD project and Application would replace the environment's ${team.name === ROOT_APPLICATION ? "root Application" : "project"}`,
        team.name,
        "rename the team",
      );
    }
    names.set(team.name, index);
    team.namespaces.forEach((namespace, n) => {
      const field = `namespaces[${n}]`;
      const owner =
        context.reservedNamespaces.includes(namespace) || SYSTEM_NAMESPACES.includes(namespace)
          ? "the platform"
          : namespaces.get(namespace);
      here.check(
        owner === undefined,
        // A team without `namespaces` gets one named after it: its name is the field to change.
        teams[index].namespaces === undefined ? "name" : field,
        `namespace ${namespace} already belongs to ${owner}`,
        namespace,
        owner === "the platform" ? "choose a name no platform service or Kubernetes uses" : "give every team its own namespaces",
      );
      if (owner === undefined) namespaces.set(namespace, `team ${team.name}`);
    });
    checkServicesUsed(team, context, here);
  }
  checkDatabases(sound, context, at);
  checkTopics(sound, context, at);
}

/** A team may only use what the environment installs. */
function checkServicesUsed(team: ResolvedTeam, context: TeamsContext, at: ProblemCollector): void {
  const needs: Array<[string, ServiceName, boolean]> = [
    ["postgres", "postgres", team.postgres !== undefined],
    ["kafka", "kafka", team.kafka !== undefined],
    ["redis", "redis", team.redis],
  ];
  if (context.target === "kubernetes") {
    // On a laptop the repository and quota go unused: Argo CD and quotas are the clusters'.
    needs.push(["repository", "argocd", team.repository !== undefined]);
    // Credentials reach the team through its Vault SecretStore, filled by External Secrets.
    needs.push(["vault", "vault", true], ["vault", "externalSecrets", true]);
  }
  for (const [field, service, used] of needs) {
    if (!used || isEnabled(context.services, service)) continue;
    at.add(
      field,
      `the team uses ${SERVICE_TITLES[service]}, which this environment leaves out`,
      context.services[service]?.enabled ?? "not declared",
      `enable services.${service}${field === "vault" ? ": teams receive their credentials through it" : `, or remove ${field} from the team`}`,
    );
  }
}

/** Each team's database is new in its cluster, and its role owns nothing else. */
function checkDatabases(teams: ReadonlyArray<[number, ResolvedTeam]>, context: TeamsContext, at: ProblemCollector): void {
  if (!isEnabled(context.services, "postgres")) return;
  const clusters = resolvePostgres(context.services.postgres).clusters;
  const taken = new Map<string, string>();
  for (const cluster of clusters) {
    for (const database of cluster.databases) {
      taken.set(`${cluster.name}/${database.name}`, "the platform");
      taken.set(`${cluster.name}/role:${database.owner}`, "the platform");
    }
  }
  for (const [index, team] of teams) {
    if (!team.postgres) continue;
    const here = at.at(index).at("postgres");
    const { cluster, database } = team.postgres;
    if (!clusters.some((candidate) => candidate.name === cluster)) {
      here.add(
        "cluster",
        "no PostgreSQL cluster has this name",
        cluster,
        `use one of services.postgres.clusters: ${clusters.map((c) => c.name).join(", ")}`,
      );
      continue;
    }
    const databaseOwner = taken.get(`${cluster}/${database}`);
    here.check(
      databaseOwner === undefined,
      "database",
      `cluster ${cluster} already has this database, owned by ${databaseOwner}`,
      database,
      "name the team's database differently",
    );
    const role = teamRoleName(team.name);
    const roleOwner = taken.get(`${cluster}/role:${role}`);
    here.check(
      roleOwner === undefined,
      "cluster",
      `cluster ${cluster} already has a role ${role}, used by ${roleOwner}; the team's role would own their databases too`,
      cluster,
      "rename the team, or the other database's owner",
    );
    taken.set(`${cluster}/${database}`, `team ${team.name}`);
    taken.set(`${cluster}/role:${role}`, `team ${team.name}`);
  }
}

/** Owned topics follow the cluster's topic rules and have one owner; read topics exist. */
function checkTopics(teams: ReadonlyArray<[number, ResolvedTeam]>, context: TeamsContext, at: ProblemCollector): void {
  if (!isEnabled(context.services, "kafka")) return;
  const kafka = resolveKafka(context.services.kafka);
  const owners = new Map<string, string>(kafka.topics.map((topic) => [topic.name, "the platform (services.kafka.topics)"]));
  const taken = {
    topicNames: new Set<string>(),
    resourceNames: new Map(kafka.topics.map((topic) => [topicResourceName(topic.name), topic.name])),
  };
  for (const [index, team] of teams) {
    team.kafka?.owns.forEach((topic, t) => {
      const here = at.at(index).at("kafka").at("owns").at(t);
      const owner = owners.get(topic.name);
      if (owner !== undefined) {
        here.add(
          "name",
          `the topic is already owned by ${owner}`,
          topic.name,
          "let one team own it and the others read it with kafka.reads",
        );
        return;
      }
      owners.set(topic.name, `team ${team.name}`);
      checkTopic(topic, kafka, taken, here);
    });
  }
  const users = new Set(kafka.users.map((user) => user.name));
  for (const [index, team] of teams) {
    if (!team.kafka) continue;
    at.at(index).check(
      !users.has(team.name),
      "name",
      "a Kafka user of services.kafka.users already has the team's name, which its KafkaUser takes",
      team.name,
      "rename the team, or that user",
    );
  }
  const declared = [...owners.keys()];
  for (const [index, team] of teams) {
    team.kafka?.reads.forEach((topic, r) => {
      const prefix = topic.endsWith("*") ? topic.slice(0, -1) : undefined;
      const exists = prefix === undefined ? owners.has(topic) : declared.some((name) => name.startsWith(prefix));
      at.at(index)
        .at("kafka")
        .check(
          exists,
          `reads[${r}]`,
          prefix === undefined ? "the topic is not declared" : "no declared topic starts with this prefix",
          topic,
          `read a topic the platform or a team owns: ${declared.join(", ") || "none is declared yet"}`,
        );
    });
  }
}
