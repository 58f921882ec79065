import { KafkaSpec, KafkaUserSpec } from "../kafka/spec";
import { PostgresSpec, resolvePostgres } from "../postgres/spec";
import { ResolvedTeam, teamRoleName } from "./spec";

/**
 * What teams add to the platform services they use, as service specs: the
 * services then create the teams' databases, roles, topics and users the way
 * they create their own, on Kubernetes and on Docker alike.
 */

/** The PostgreSQL spec with each team's database, owned by the team's role, in its cluster. */
export function withTeamDatabases(spec: PostgresSpec | undefined, teams: readonly ResolvedTeam[]): PostgresSpec | undefined {
  const wanted = teams.filter((team) => team.postgres !== undefined);
  if (wanted.length === 0) return spec;
  const clusters = (spec?.clusters ?? resolvePostgres(spec).clusters.map(({ name, databases }) => ({ name, databases }))).map(
    (cluster) => ({
      ...cluster,
      databases: [
        ...cluster.databases,
        ...wanted
          .filter((team) => team.postgres?.cluster === cluster.name)
          .map((team) => ({ name: team.postgres?.database ?? teamRoleName(team.name), owner: teamRoleName(team.name) })),
      ],
    }),
  );
  return { ...spec, clusters };
}

/** Operations a team has on the topics it owns; the topic operator creates and deletes them from the environment file. */
export const OWNER_OPERATIONS = ["Read", "Write", "Describe", "DescribeConfigs", "AlterConfigs"] as const;
export const READER_OPERATIONS = ["Read", "Describe"] as const;

/** The Kafka spec with each team's owned topics and one user per team, named after it. */
export function withTeamKafka(spec: KafkaSpec | undefined, teams: readonly ResolvedTeam[]): KafkaSpec | undefined {
  const wanted = teams.filter((team) => team.kafka !== undefined);
  if (wanted.length === 0) return spec;
  const users: KafkaUserSpec[] = wanted.map((team) => ({
    name: team.name,
    acls: [
      ...(team.kafka?.owns ?? []).map((topic) => ({ topic: topic.name, operations: [...OWNER_OPERATIONS] })),
      ...(team.kafka?.reads ?? []).map((topic) => ({ topic, operations: [...READER_OPERATIONS] })),
    ],
    consumerGroupPrefix: team.kafka?.consumerGroupPrefix,
  }));
  return {
    ...spec,
    topics: [...(spec?.topics ?? []), ...wanted.flatMap((team) => team.kafka?.owns ?? [])],
    users: [...(spec?.users ?? []), ...users],
  };
}
