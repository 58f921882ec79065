import * as v from "valibot";
import { NodePoolConfig, NodePoolRole, Taint } from "../core/placement";
import { schemaOf, stringOf } from "../core/schema";
import { EnvironmentTier } from "../core/tiers";
import { LocalImageName } from "../constructs/docker/images";
import { LocalPortsSpec } from "../constructs/docker/ports";
import { PlatformServicesConfig, Toggled } from "../constructs/services";
import { TeamSpec } from "../constructs/team/spec";
import { ClusterConfig, EnvironmentConfig, LocalStateConfig, S3StateConfig, VaultAccessConfig } from "./types";

/**
 * The shape of an environment file's config, checked before any rule about
 * its values: discriminants (`target`, `state.backend`), required fields,
 * types, and field names (a misspelled optional field is not a default).
 * Each service block's own fields are the service's schema, checked by its
 * validation (constructs/<service>/spec.ts), so a construct built alone
 * checks the same.
 */

const TAINT = schemaOf<Taint>()(v.strictObject({ key: v.string(), value: v.optional(v.string()), effect: stringOf<Taint["effect"]>() }));

const NODE_POOL = schemaOf<NodePoolConfig>()(
  v.strictObject({
    name: v.string(),
    role: stringOf<NodePoolRole>(),
    flavor: v.string(),
    desiredNodes: v.number(),
    minNodes: v.number(),
    maxNodes: v.number(),
    autoscale: v.optional(v.boolean()),
    antiAffinity: v.optional(v.boolean()),
    monthlyBilled: v.optional(v.boolean()),
    labels: v.optional(v.record(v.string(), v.string())),
    taints: v.optional(v.array(TAINT)),
  }),
);

const CLUSTER = schemaOf<ClusterConfig>()(
  v.strictObject({
    provider: stringOf<ClusterConfig["provider"]>(),
    region: v.string(),
    plan: v.optional(stringOf<NonNullable<ClusterConfig["plan"]>>()),
    kubeconfigPath: v.string(),
    kubeconfigContext: v.string(),
  }),
);

const VAULT_ACCESS = schemaOf<VaultAccessConfig>()(
  v.strictObject({ address: v.string(), caCertFile: v.string(), tlsServerName: v.optional(v.string()) }),
);

const S3_STATE = schemaOf<S3StateConfig>()(
  v.strictObject({
    backend: v.literal("s3"),
    bucket: v.string(),
    region: v.string(),
    endpoint: v.optional(v.string()),
    keyPrefix: v.optional(v.string()),
  }),
);

const LOCAL_STATE = schemaOf<LocalStateConfig>()(v.strictObject({ backend: v.literal("local"), path: v.optional(v.string()) }));

/** A service block: an object whose `enabled` is a boolean; the rest is the service's own schema. */
function serviceBlock<Spec>(): v.GenericSchema<unknown, Toggled<Spec>> {
  return v.pipe(
    v.looseObject({ enabled: v.optional(v.boolean()) }),
    v.transform((input) => input as Toggled<Spec>),
  );
}

const SERVICES = schemaOf<PlatformServicesConfig>()(
  v.strictObject({
    certManager: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["certManager"]>>()),
    vault: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["vault"]>>()),
    externalSecrets: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["externalSecrets"]>>()),
    redis: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["redis"]>>()),
    postgres: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["postgres"]>>()),
    kafka: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["kafka"]>>()),
    argocd: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["argocd"]>>()),
    observability: v.optional(serviceBlock<NonNullable<PlatformServicesConfig["observability"]>>()),
  }),
);

const BASE = {
  name: v.string(),
  tier: stringOf<EnvironmentTier>(),
  state: v.variant("backend", [S3_STATE, LOCAL_STATE]),
  services: v.optional(SERVICES),
  // Each team's own fields are its schema, checked by validateTeam.
  teams: v.optional(
    v.array(
      v.pipe(
        v.looseObject({ name: v.string() }),
        v.transform((input) => input as unknown as TeamSpec),
      ),
    ),
  ),
  protectFromDestroy: v.optional(v.boolean()),
};

const PORTS = schemaOf<LocalPortsSpec>()(
  v.strictObject({
    vault: v.optional(v.number()),
    redis: v.optional(v.array(v.number())),
    sentinels: v.optional(v.array(v.number())),
    postgres: v.optional(v.record(v.string(), v.number())),
    kafka: v.optional(v.number()),
    prometheus: v.optional(v.number()),
    grafana: v.optional(v.number()),
  }),
);

const IMAGE_NAMES: readonly LocalImageName[] = [
  "vault",
  "redis",
  "postgres",
  "kafka",
  "prometheus",
  "grafana",
  "redisExporter",
  "postgresExporter",
  "kafkaExporter",
];

const IMAGES = v.strictObject(
  Object.fromEntries(IMAGE_NAMES.map((name) => [name, v.optional(v.string())])) as Record<
    LocalImageName,
    v.OptionalSchema<v.StringSchema<undefined>, undefined>
  >,
);

/** The shape of every environment file's default export. */
export const ENVIRONMENT_SCHEMA = schemaOf<EnvironmentConfig>()(
  v.variant("target", [
    v.strictObject({
      ...BASE,
      target: v.literal("kubernetes"),
      cluster: CLUSTER,
      nodePools: v.array(NODE_POOL),
      vaultAccess: v.optional(VAULT_ACCESS),
    }),
    v.strictObject({
      ...BASE,
      target: v.literal("docker"),
      dockerHost: v.optional(v.string()),
      ports: v.optional(PORTS),
      images: v.optional(IMAGES),
    }),
  ]),
);
