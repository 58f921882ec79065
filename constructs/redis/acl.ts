/**
 * Per-user Redis ACLs without a password in Terraform: each user's password
 * is generated in the cluster, and External Secrets writes the ACL file from
 * the passwords' SHA-256 hashes (Redis' `#<hash>` form), which every Redis pod
 * loads as its `aclfile`. Every pod reads the same file, so the users hold on
 * every replica (Redis does not replicate ACLs).
 */

/** A Redis user confined to its key and channel prefix. */
export interface RedisAclUser {
  /** User name, a DNS-1123 label: it names the user's password Secret. */
  readonly name: string;
  /** The user's keys and Pub/Sub channels start with this, e.g. `identity:`. */
  readonly keyPrefix: string;
}

/** Where the ACL file is mounted in the Redis containers. */
export const ACL_DIRECTORY = "/etc/redis-acl";
export const ACL_FILE_KEY = "users.acl";
/** The Secret External Secrets writes the ACL file into. */
export const ACL_SECRET = "redis-acl";

/** The Secret holding a user's generated password (key `password`). */
export function aclUserSecretName(user: string): string {
  return `redis-user-${user}`;
}

/**
 * What a user may run: everything on its own keys and channels but the
 * dangerous commands (FLUSHALL, KEYS, CONFIG, DEBUG…), with INFO and naming
 * its own connection back, which client libraries call.
 */
export const USER_COMMANDS = "+@all -@dangerous +info +client|setname +client|getname +client|id";

/**
 * The ACL file as an External Secrets template over `auth` (the default
 * user's password: probes, replication and sentinels log in as `default`) and
 * `user<i>` (each user's password). Redis refuses comment lines in it.
 */
export function aclFileTemplate(users: readonly RedisAclUser[]): string {
  return [
    "user default on #{{ .auth | sha256sum }} ~* &* +@all",
    ...users.map((user, i) => `user ${user.name} on #{{ .user${i} | sha256sum }} ~${user.keyPrefix}* &${user.keyPrefix}* ${USER_COMMANDS}`),
    "",
  ].join("\n");
}
