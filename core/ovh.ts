import { closest } from "./suggest";

/**
 * OVHcloud facts the validators need: Managed Kubernetes flavors and what a node keeps for itself,
 * the node-count limits, and the Object Storage S3 regions and endpoints. Each fact names its
 * source; "third-party" marks what no OVHcloud page in reach confirmed.
 */

// ---------------------------------------------------------------------------------------------
// Flavors
// ---------------------------------------------------------------------------------------------

/** The OVHcloud reserved-resources guide: ovh/docs pages/public_cloud/containers_orchestration/managed_kubernetes/software-versions-reserved-resources/guide.*.md, version "updated: 2024-10-02". */
const OVH_RESERVED_GUIDE = "ovh-docs" as const;
/** A scrape of OVHcloud's US price page: repo renchris/continuously-running-agents, 10-instance-types.md @ 6137209 (agrees with two other tables in the index). */
const PRICE_PAGE_COPY = "third-party" as const;

export interface OvhFlavor {
  readonly name: string;
  readonly vcpus: number;
  /** RAM as OVHcloud advertises it ("7 GB"); the page does not say GB or GiB, see ovhAllocatable. */
  readonly memoryGB: number;
  /** Where the numbers come from: OVHcloud's own guide, or a third-party copy of its price page. */
  readonly source: "ovh-docs" | "third-party";
  /** Kubernetes' reserve on this flavor as OVHcloud's guide tabulates it, when it does. */
  readonly reserved?: { readonly cpuMillicores: number; readonly memoryGB: number };
}

const flavor = (
  name: string,
  vcpus: number,
  memoryGB: number,
  source: OvhFlavor["source"],
  reserved?: OvhFlavor["reserved"],
): OvhFlavor => ({
  name,
  vcpus,
  memoryGB,
  source,
  ...(reserved === undefined ? {} : { reserved }),
});
const documented = (name: string, vcpus: number, memoryGB: number, cpuMillicores: number, reservedGB: number): OvhFlavor =>
  flavor(name, vcpus, memoryGB, OVH_RESERVED_GUIDE, { cpuMillicores, memoryGB: reservedGB });
const copied = (name: string, vcpus: number, memoryGB: number): OvhFlavor => flavor(name, vcpus, memoryGB, PRICE_PAGE_COPY);

/**
 * Managed Kubernetes flavors: b2 and b3 (general purpose) from OVHcloud's reserved-resources guide
 * with its table of reserves; c2, c3 (compute) and r2, r3 (memory) from the third-party copy. The
 * number after the dash is the RAM. Availability varies by region; the authoritative list for a
 * cluster is the API's `GET /cloud/project/{serviceName}/kube/{kubeId}/flavors`.
 */
export const OVH_FLAVORS: Readonly<Record<string, OvhFlavor>> = Object.fromEntries(
  [
    documented("b2-7", 2, 7, 160, 1.98),
    documented("b2-15", 4, 15, 170, 2.4),
    documented("b2-30", 8, 30, 190, 3.16),
    documented("b2-60", 16, 60, 230, 4.7),
    documented("b2-120", 32, 120, 310, 7.77),
    documented("b3-8", 2, 8, 160, 2),
    documented("b3-16", 4, 16, 170, 2.44),
    documented("b3-32", 8, 32, 190, 3.26),
    documented("b3-64", 16, 64, 230, 4.9),
    documented("b3-128", 32, 128, 310, 8.18),
    documented("b3-256", 64, 256, 470, 14.73),
    copied("c2-7", 2, 7),
    copied("c2-15", 4, 15),
    copied("c2-30", 8, 30),
    copied("c2-60", 16, 60),
    copied("c2-120", 32, 120),
    copied("c3-4", 2, 4),
    copied("c3-8", 4, 8),
    copied("c3-16", 8, 16),
    copied("c3-32", 16, 32),
    copied("c3-64", 32, 64),
    copied("c3-128", 64, 128),
    copied("r2-15", 2, 15),
    copied("r2-30", 2, 30),
    copied("r2-60", 4, 60),
    copied("r2-120", 8, 120),
    copied("r2-240", 16, 240),
    copied("r3-16", 2, 16),
    copied("r3-32", 4, 32),
    copied("r3-64", 8, 64),
    copied("r3-128", 16, 128),
    copied("r3-256", 32, 256),
    copied("r3-512", 64, 512),
  ].map((entry) => [entry.name, entry]),
);

/** A flavor by name, or undefined (see ovhFlavorSuggestion for "did you mean"). */
export function ovhFlavor(name: string): OvhFlavor | undefined {
  return OVH_FLAVORS[name];
}

/** The known flavor a misspelt name most likely meant ("b2_7", "B2-7", "b2-8"), or undefined. */
export function ovhFlavorSuggestion(name: string): string | undefined {
  return closest(name, Object.keys(OVH_FLAVORS), 2);
}

// ---------------------------------------------------------------------------------------------
// What a node keeps for Kubernetes
// ---------------------------------------------------------------------------------------------

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/**
 * OVHcloud's formulas for what each node reserves for Kubernetes (reserved-resources guide):
 * CPU "15 % of 1 CPU + 0,5% of all CPU cores", RAM "1024 MB + 5% of total memory". "These
 * reserved quotas may evolve in the future".
 */
export function ovhNodeReserve(vcpus: number, memoryBytes: number): { readonly cpuMillicores: number; readonly memoryBytes: number } {
  return { cpuMillicores: 150 + 5 * vcpus, memoryBytes: 1024 * MiB + 0.05 * memoryBytes };
}

export interface OvhAllocatable {
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
  /** What was taken off the flavor's capacity. */
  readonly reserved: { readonly cpuMillicores: number; readonly memoryBytes: number };
}

/**
 * What pods of one node of `flavor` can request, conservatively: the advertised RAM read as GB
 * (10^9 bytes, the smaller reading), minus the larger of OVHcloud's formula and its table. The two
 * disagree on memory: the guide's table (1.98 GB on b2-7) reserves about 0.6 GB more than its own
 * formula gives (1.35 GB), perhaps an eviction threshold; the table's GB are read as GiB (the
 * larger reading). CPU agrees (b2-7: 150m + 2 × 5m = 160m). Undefined for an unknown flavor.
 */
export function ovhAllocatable(flavorName: string): OvhAllocatable | undefined {
  const entry = OVH_FLAVORS[flavorName];
  if (entry === undefined) return undefined;
  const memoryBytes = entry.memoryGB * 1e9;
  const formula = ovhNodeReserve(entry.vcpus, memoryBytes);
  const reserved = {
    cpuMillicores: Math.max(formula.cpuMillicores, entry.reserved?.cpuMillicores ?? 0),
    memoryBytes: Math.max(formula.memoryBytes, (entry.reserved?.memoryGB ?? 0) * GiB),
  };
  return { cpuMillicores: entry.vcpus * 1000 - reserved.cpuMillicores, memoryBytes: memoryBytes - reserved.memoryBytes, reserved };
}

// ---------------------------------------------------------------------------------------------
// Node counts
// ---------------------------------------------------------------------------------------------

export type OvhKubernetesPlan = "free" | "standard";

/**
 * OVHcloud Managed Kubernetes limits: ovh/docs known-limits guide, "updated: 2025-12-02"
 * (https://docs.ovhcloud.com/en/guides/public-cloud/containers-orchestration/managed-kubernetes/managed-kubernetes-known-limits).
 * "Tested" limits, not hard ones: OVHcloud recommends staying under them. There is no documented
 * maximum per node pool besides the anti-affinity cap; the NodePool examples of OVHcloud's guides
 * default `maxNodes` to 100 (ovh/docs pages/platform/kubernetes-k8s/node-pools-crd).
 */
export const OVH_KUBERNETES_LIMITS = {
  maxNodesPerCluster: { free: 100, standard: 500 },
  maxPodsPerNode: 110,
  /** A pool with `antiAffinity: true` spreads its nodes over distinct hypervisors, at most 5. */
  maxNodesPerAntiAffinityPool: 5,
  /** `maxNodes` in OVHcloud's NodePool examples; a default, not a documented limit. */
  defaultPoolMaxNodes: 100,
  maxPersistentVolumesPerNode: 100,
  etcdMaxSize: { free: "400MB", standard: "8GB" },
} as const;

/** The most nodes a pool may have: 5 with anti-affinity, otherwise the cluster's limit for its plan. */
export function ovhMaxNodesPerPool(antiAffinity: boolean, plan: OvhKubernetesPlan): number {
  return antiAffinity ? OVH_KUBERNETES_LIMITS.maxNodesPerAntiAffinityPool : OVH_KUBERNETES_LIMITS.maxNodesPerCluster[plan];
}

// ---------------------------------------------------------------------------------------------
// Object Storage (S3)
// ---------------------------------------------------------------------------------------------

export interface OvhS3Region {
  /** As written in the endpoint, lower case. */
  readonly code: string;
  readonly location: string;
  readonly zone: "Europe" | "North America" | "Asia-Pacific";
  readonly deployment: "1-AZ" | "3-AZ";
}

const region = (
  code: string,
  location: string,
  zone: OvhS3Region["zone"],
  deployment: OvhS3Region["deployment"] = "1-AZ",
): OvhS3Region => ({
  code,
  location,
  zone,
  deployment,
});

/**
 * The Object Storage regions: ovh/docs pages/storage_and_backup/object_storage/s3_location/guide.en-gb.md
 * @ 012254e1 ("updated: 2026-02-03"). Singapore is "sgp", not "ap-southeast-sgp".
 */
export const OVH_S3_REGIONS: readonly OvhS3Region[] = [
  region("gra", "Gravelines", "Europe"),
  region("rbx", "Roubaix", "Europe"),
  region("sbg", "Strasbourg", "Europe"),
  region("eu-west-par", "Paris", "Europe", "3-AZ"),
  region("eu-south-mil", "Milan", "Europe", "3-AZ"),
  region("de", "Frankfurt", "Europe"),
  region("uk", "London", "Europe"),
  region("waw", "Warsaw", "Europe"),
  region("bhs", "Beauharnois", "North America"),
  region("ca-east-tor", "Toronto", "North America"),
  region("sgp", "Singapore", "Asia-Pacific"),
  region("ap-southeast-syd", "Sydney", "Asia-Pacific"),
  region("ap-south-mum", "Mumbai", "Asia-Pacific"),
];

const REGION_CODES = OVH_S3_REGIONS.map((entry) => entry.code);

/** The S3 endpoint of a region: `https://s3.<region>.io.cloud.ovh.net` (same guide; "To be entered in lower case"). */
export function ovhS3Endpoint(regionCode: string): string {
  return `https://s3.${regionCode}.io.cloud.ovh.net`;
}

const ENDPOINT_HOST = /^s3\.([a-z0-9-]+)\.io\.cloud\.ovh\.net$/;
/** The legacy endpoints (same guide): "perf", kept "for retrocompatibility", and Swift's S3 API. */
const LEGACY_HOST = /^s3\.([a-z0-9-]+)\.perf\.cloud\.ovh\.net$/;
const SWIFT_HOST = /^s3\.([a-z0-9-]+)\.cloud\.ovh\.net$/;

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * The region of an OVHcloud Object Storage endpoint, `https://s3.<region>.io.cloud.ovh.net` with
 * no path, port, credentials or query, for one of the 13 regions; otherwise undefined. A bucket in
 * the host (`https://bucket.s3.gra.io.cloud.ovh.net`) is a bucket's URL, not an endpoint.
 */
export function ovhRegionOfEndpoint(url: string): string | undefined {
  const parsed = parseUrl(url);
  if (parsed === undefined || parsed.protocol !== "https:" || parsed.port !== "" || parsed.username !== "" || parsed.password !== "")
    return undefined;
  if (parsed.pathname !== "/" || parsed.search !== "" || parsed.hash !== "") return undefined;
  const match = ENDPOINT_HOST.exec(parsed.hostname);
  return match !== null && REGION_CODES.includes(match[1]) ? match[1] : undefined;
}

export function isOvhObjectStorageEndpoint(url: string): boolean {
  return ovhRegionOfEndpoint(url) !== undefined;
}

/**
 * Why `url` is not an OVHcloud Object Storage endpoint, with the endpoint it probably meant, or
 * undefined when it is one. Only for URLs on cloud.ovh.net: another S3-compatible store is not
 * OVHcloud's, and not this function's to judge (it returns undefined).
 */
export function ovhS3EndpointProblem(url: string): { readonly message: string; readonly fix: string } | undefined {
  if (isOvhObjectStorageEndpoint(url)) return undefined;
  const parsed = parseUrl(url);
  if (parsed === undefined) {
    const bare = ENDPOINT_HOST.exec(url) ?? ENDPOINT_HOST.exec(url.replace(/\/$/, ""));
    return bare === null ? undefined : { message: "the endpoint has no scheme", fix: `write ${ovhS3Endpoint(bare[1])}` };
  }
  const host = parsed.hostname;
  if (!host.endsWith(".cloud.ovh.net")) return undefined;
  const legacy = LEGACY_HOST.exec(host);
  if (legacy !== null)
    return { message: "this is OVHcloud's legacy perf endpoint, kept only for compatibility", fix: `use ${ovhS3Endpoint(legacy[1])}` };
  const swift = SWIFT_HOST.exec(host);
  if (swift !== null) return { message: "this is the legacy Object Storage Swift endpoint", fix: `use ${ovhS3Endpoint(swift[1])}` };
  const bucketHost = /^[^.]+\.(s3\.[a-z0-9-]+\.io\.cloud\.ovh\.net)$/.exec(host);
  if (bucketHost !== null)
    return {
      message: "the host names a bucket; the endpoint is the region's",
      fix: `use https://${bucketHost[1]} and give the bucket separately`,
    };
  const match = ENDPOINT_HOST.exec(host);
  if (match === null)
    return { message: `${host} is not an Object Storage endpoint`, fix: `use ${ovhS3Endpoint("<region>")}, e.g. ${ovhS3Endpoint("gra")}` };
  if (!REGION_CODES.includes(match[1])) {
    // "ap-southeast-sgp" is Singapore's compute region name; its Object Storage region is "sgp".
    const tail = match[1].split("-").pop() ?? "";
    const suggestion = REGION_CODES.includes(tail) ? tail : closest(match[1], REGION_CODES);
    const fix = suggestion === undefined ? `use one of ${REGION_CODES.join(", ")}` : `did you mean ${ovhS3Endpoint(suggestion)}?`;
    return { message: `${match[1]} is not an OVHcloud Object Storage region`, fix };
  }
  const endpoint = ovhS3Endpoint(match[1]);
  if (parsed.protocol !== "https:") return { message: "the endpoint is not HTTPS", fix: `use ${endpoint}` };
  if (parsed.username !== "" || parsed.password !== "") {
    return {
      message: "the endpoint has credentials in it",
      fix: `use ${endpoint}; credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY only`,
    };
  }
  if (parsed.port !== "") return { message: `the endpoint has the port ${parsed.port}`, fix: `use ${endpoint}` };
  if (parsed.pathname !== "/")
    return { message: `the endpoint has the path ${parsed.pathname}`, fix: `use ${endpoint} and give the bucket and key separately` };
  return { message: "the endpoint has a query or fragment", fix: `use ${endpoint}` };
}
