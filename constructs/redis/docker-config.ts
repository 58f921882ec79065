import { createHash } from "crypto";
import { configFile } from "../docker/config-file";
import { ResolvedRedisSpec } from "./spec";

/**
 * Configuration files of Redis with Sentinel on Docker. No secret is in them:
 * the start scripts append the password from /run/secrets at start.
 */

/** Name the sentinels know the master by; clients ask for it. */
export const SENTINEL_MASTER_NAME = "platform";
export const REDIS_PASSWORD_FILE = "/run/secrets/redis-password";
export const REDIS_CONFIG_DIR = "/etc/platform/redis";

/** A Redis server or sentinel: its host name on the platform network and its port (= host port). */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * redis.conf of one server. It listens on its host port and announces its
 * network name, so the address a sentinel hands out is the same inside the
 * network and (with a hosts entry) on the laptop: no port remapping to hide.
 */
export function redisConf(redis: ResolvedRedisSpec, self: RedisNode): string {
  return configFile([
    `# Redis server ${self.host}, written by cdktf. requirepass, masterauth and`,
    "# replicaof are appended by start.sh.",
    `port ${self.port}`,
    "bind * -::*",
    "dir /data",
    // AOF for durability (fsync every second), RDB snapshots for fast restarts and backups.
    "appendonly yes",
    "appendfsync everysec",
    "save 3600 1 300 100 60 10000",
    `maxmemory ${redis.maxMemory}`,
    `maxmemory-policy ${redis.evictionPolicy}`,
    `min-replicas-to-write ${redis.minReplicasToWrite}`,
    `min-replicas-max-lag ${redis.minReplicasMaxLagSeconds}`,
    "replica-read-only yes",
    `replica-announce-ip ${self.host}`,
    `replica-announce-port ${self.port}`,
  ]);
}

/** sentinel.conf of one sentinel; Sentinel rewrites it as it learns the topology. */
export function sentinelConf(redis: ResolvedRedisSpec, self: RedisNode, initialMaster: RedisNode): string {
  return configFile([
    `# Sentinel ${self.host}, written by cdktf. requirepass and auth-pass are appended`,
    "# by start-sentinel.sh; Sentinel rewrites this file as it learns the topology.",
    `port ${self.port}`,
    "bind * -::*",
    "dir /data",
    // Container IPs change on every recreate; names do not.
    "sentinel resolve-hostnames yes",
    "sentinel announce-hostnames yes",
    `sentinel announce-ip ${self.host}`,
    `sentinel announce-port ${self.port}`,
    `sentinel monitor ${SENTINEL_MASTER_NAME} ${initialMaster.host} ${initialMaster.port} ${redis.quorum}`,
    `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 5000`,
    `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 60000`,
    `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
  ]);
}

/**
 * Starts a Redis server. It asks the sentinels for the current master, so a
 * restarted server rejoins whichever server won the last failover instead of
 * the one it was first configured with; with no sentinel up (the first start)
 * the initial master leads. The image's entrypoint then drops root.
 */
export function redisStartScript(self: RedisNode, initialMaster: RedisNode, sentinels: readonly RedisNode[]): string {
  return configFile([
    "#!/bin/sh",
    "set -eu",
    `password="$(cat ${REDIS_PASSWORD_FILE})"`,
    `master_host=${initialMaster.host}`,
    `master_port=${initialMaster.port}`,
    `for sentinel in ${sentinels.map((node) => `${node.host}:${node.port}`).join(" ")}; do`,
    '  answer="$(REDISCLI_AUTH="$password" redis-cli -h "${sentinel%:*}" -p "${sentinel#*:}" \\',
    `    sentinel get-master-addr-by-name ${SENTINEL_MASTER_NAME} 2>/dev/null || true)"`,
    '  host="$(echo "$answer" | sed -n 1p)"',
    '  port="$(echo "$answer" | sed -n 2p)"',
    '  case "$port" in ""|*[!0-9]*) continue ;; esac',
    '  master_host="$host"',
    '  master_port="$port"',
    "  break",
    "done",
    "conf=/usr/local/etc/redis/redis.conf",
    'mkdir -p "$(dirname "$conf")"',
    "{",
    `  cat ${REDIS_CONFIG_DIR}/redis.conf`,
    '  echo "requirepass $password"',
    '  echo "masterauth $password"',
    `  if [ "$master_host" != ${self.host} ]; then echo "replicaof $master_host $master_port"; fi`,
    '} > "$conf"',
    'exec docker-entrypoint.sh redis-server "$conf"',
  ]);
}

/**
 * Starts a sentinel from its own rewritten config, kept in its volume so a
 * recreated sentinel remembers the last failover. A config change (a new
 * file name: its hash) starts over from the template. Auth lines are
 * replaced on every start so they follow the secret file.
 */
export function sentinelStartScript(template: string): string {
  const conf = `/data/sentinel-${createHash("sha256").update(template).digest("hex").slice(0, 12)}.conf`;
  return configFile([
    "#!/bin/sh",
    "set -eu",
    `password="$(cat ${REDIS_PASSWORD_FILE})"`,
    `conf=${conf}`,
    'if [ ! -f "$conf" ]; then',
    "  rm -f /data/sentinel-*.conf",
    `  cp ${REDIS_CONFIG_DIR}/sentinel.conf "$conf"`,
    "fi",
    `sed -i '/^requirepass /d; /^user default /d; /^sentinel auth-pass /d' "$conf"`,
    `printf 'requirepass %s\\nsentinel auth-pass ${SENTINEL_MASTER_NAME} %s\\n' "$password" "$password" >> "$conf"`,
    'exec docker-entrypoint.sh redis-sentinel "$conf"',
  ]);
}
