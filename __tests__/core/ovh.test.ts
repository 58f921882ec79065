import {
  isOvhObjectStorageEndpoint,
  ovhAllocatable,
  ovhFlavor,
  ovhFlavorSuggestion,
  OVH_FLAVORS,
  OVH_KUBERNETES_LIMITS,
  ovhMaxNodesPerPool,
  ovhNodeReserve,
  ovhRegionOfEndpoint,
  ovhS3Endpoint,
  ovhS3EndpointProblem,
  OVH_S3_REGIONS,
} from "../../core/ovh";

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe("flavors", () => {
  test("b2/b3 entries match OVHcloud's reserved-resources guide (updated 2024-10-02)", () => {
    expect(ovhFlavor("b2-7")).toEqual({
      name: "b2-7",
      vcpus: 2,
      memoryGB: 7,
      source: "ovh-docs",
      reserved: { cpuMillicores: 160, memoryGB: 1.98 },
    });
    expect(ovhFlavor("b2-60")).toMatchObject({ vcpus: 16, memoryGB: 60, reserved: { cpuMillicores: 230, memoryGB: 4.7 } });
    expect(ovhFlavor("b3-256")).toMatchObject({ vcpus: 64, memoryGB: 256, reserved: { cpuMillicores: 470, memoryGB: 14.73 } });
  });

  test("c2/c3/r2/r3 entries match the third-party copy of the price page, and say so", () => {
    expect(ovhFlavor("c3-8")).toEqual({ name: "c3-8", vcpus: 4, memoryGB: 8, source: "third-party" });
    expect(ovhFlavor("c2-7")).toMatchObject({ vcpus: 2, memoryGB: 7, source: "third-party" });
    expect(ovhFlavor("r2-30")).toMatchObject({ vcpus: 2, memoryGB: 30, source: "third-party" });
    expect(ovhFlavor("r3-512")).toMatchObject({ vcpus: 64, memoryGB: 512, source: "third-party" });
  });

  test("covers the b2, b3, c2, c3, r2 and r3 families, the environments' flavors among them", () => {
    const families = new Set(Object.keys(OVH_FLAVORS).map((name) => name.split("-")[0]));
    expect([...families].sort()).toEqual(["b2", "b3", "c2", "c3", "r2", "r3"]);
    for (const name of ["b2-7", "b2-15", "b2-30", "b2-60"]) expect(ovhFlavor(name)).toBeDefined();
  });

  test.each(Object.values(OVH_FLAVORS))(
    "$name: the number after the dash is the RAM, and only OVHcloud's own entries carry a reserve",
    (entry) => {
      expect(entry.memoryGB).toBe(Number(entry.name.split("-")[1]));
      expect(entry.reserved !== undefined).toBe(entry.source === "ovh-docs");
    },
  );

  test("the gen-3 families keep their RAM per vCPU: b3 4 GB, c3 2 GB, r3 8 GB", () => {
    for (const entry of Object.values(OVH_FLAVORS)) {
      const ratio = { b3: 4, c3: 2, r3: 8 }[entry.name.split("-")[0]];
      if (ratio !== undefined) expect(entry.memoryGB / entry.vcpus).toBe(ratio);
    }
  });

  test("fails when the flavor is unknown, with a suggestion for a typo", () => {
    expect(ovhFlavor("b2-8")).toBeUndefined();
    expect(ovhFlavor("B2-7")).toBeUndefined();
    expect(ovhFlavorSuggestion("b2_7")).toBe("b2-7");
    expect(ovhFlavorSuggestion("B2-7")).toBe("b2-7");
    expect(ovhFlavorSuggestion("x1-1")).toBeUndefined();
  });
});

describe("node reserve and allocatable", () => {
  test("the CPU formula gives the guide's table: 15% of a core plus 0.5% of each", () => {
    for (const entry of Object.values(OVH_FLAVORS)) {
      if (entry.reserved !== undefined)
        expect(ovhNodeReserve(entry.vcpus, entry.memoryGB * 1e9).cpuMillicores).toBe(entry.reserved.cpuMillicores);
    }
  });

  test("the memory formula is 1024 MB plus 5% of the total", () => {
    expect(ovhNodeReserve(2, 8 * GiB).memoryBytes).toBe(1024 * MiB + 0.4 * GiB);
    expect(ovhNodeReserve(0, 0)).toEqual({ cpuMillicores: 150, memoryBytes: 1024 * MiB });
  });

  test("allocatable takes the larger reserve, the table's for b2-7 (1.98 GB against the formula's 1.35)", () => {
    const b27 = ovhAllocatable("b2-7");
    expect(b27?.reserved).toEqual({ cpuMillicores: 160, memoryBytes: 1.98 * GiB });
    expect(b27?.cpuMillicores).toBe(1840);
    expect(b27?.memoryBytes).toBe(7e9 - 1.98 * GiB);
  });

  test("allocatable uses the formula where the guide has no table entry", () => {
    const c38 = ovhAllocatable("c3-8");
    expect(c38?.reserved).toEqual({ cpuMillicores: 170, memoryBytes: 1024 * MiB + 0.05 * 8e9 });
    expect(c38?.cpuMillicores).toBe(3830);
  });

  test("fails when the flavor is unknown", () => {
    expect(ovhAllocatable("b2-8")).toBeUndefined();
  });
});

describe("node-count limits (known-limits guide, updated 2025-12-02)", () => {
  test("per cluster by plan, per node, and with anti-affinity", () => {
    expect(OVH_KUBERNETES_LIMITS.maxNodesPerCluster).toEqual({ free: 100, standard: 500 });
    expect(OVH_KUBERNETES_LIMITS.maxPodsPerNode).toBe(110);
    expect(OVH_KUBERNETES_LIMITS.maxNodesPerAntiAffinityPool).toBe(5);
    expect(OVH_KUBERNETES_LIMITS.etcdMaxSize).toEqual({ free: "400MB", standard: "8GB" });
  });

  test("a pool's maximum is 5 with anti-affinity, else its plan's cluster limit", () => {
    expect(ovhMaxNodesPerPool(true, "free")).toBe(5);
    expect(ovhMaxNodesPerPool(true, "standard")).toBe(5);
    expect(ovhMaxNodesPerPool(false, "free")).toBe(100);
    expect(ovhMaxNodesPerPool(false, "standard")).toBe(500);
  });
});

describe("Object Storage regions and endpoints (s3_location guide, updated 2026-02-03)", () => {
  test("13 regions, Singapore as sgp, Paris and Milan 3-AZ", () => {
    expect(OVH_S3_REGIONS.map((region) => region.code)).toEqual([
      "gra",
      "rbx",
      "sbg",
      "eu-west-par",
      "eu-south-mil",
      "de",
      "uk",
      "waw",
      "bhs",
      "ca-east-tor",
      "sgp",
      "ap-southeast-syd",
      "ap-south-mum",
    ]);
    expect(OVH_S3_REGIONS.filter((region) => region.deployment === "3-AZ").map((region) => region.code)).toEqual([
      "eu-west-par",
      "eu-south-mil",
    ]);
    expect(OVH_S3_REGIONS.find((region) => region.code === "sgp")).toEqual({
      code: "sgp",
      location: "Singapore",
      zone: "Asia-Pacific",
      deployment: "1-AZ",
    });
  });

  test.each(OVH_S3_REGIONS.map((region) => region.code))("%s's endpoint is recognised", (code) => {
    expect(ovhS3Endpoint(code)).toBe(`https://s3.${code}.io.cloud.ovh.net`);
    expect(ovhRegionOfEndpoint(ovhS3Endpoint(code))).toBe(code);
    expect(isOvhObjectStorageEndpoint(ovhS3Endpoint(code))).toBe(true);
    expect(ovhS3EndpointProblem(ovhS3Endpoint(code))).toBeUndefined();
  });

  test("a trailing slash, an explicit 443 and capitals are the same endpoint", () => {
    expect(ovhRegionOfEndpoint("https://s3.gra.io.cloud.ovh.net/")).toBe("gra");
    expect(ovhRegionOfEndpoint("https://s3.gra.io.cloud.ovh.net:443")).toBe("gra");
    expect(ovhRegionOfEndpoint("https://S3.GRA.io.cloud.ovh.net")).toBe("gra");
  });

  test.each([
    ["http://s3.gra.io.cloud.ovh.net", "plain HTTP"],
    ["https://s3.gra.io.cloud.ovh.net:8443", "another port"],
    ["https://s3.gra.io.cloud.ovh.net/bucket", "a path"],
    ["https://s3.gra.io.cloud.ovh.net?x=1", "a query"],
    ["https://user:secret@s3.gra.io.cloud.ovh.net", "credentials"],
    ["https://s3.xyz.io.cloud.ovh.net", "an unknown region"],
    ["https://s3.GRA.perf.cloud.ovh.net", "the legacy perf endpoint"],
    ["https://bucket.s3.gra.io.cloud.ovh.net", "a bucket's host"],
    ["s3.gra.io.cloud.ovh.net", "no scheme"],
    ["https://s3.amazonaws.com", "another provider"],
    ["not a url", "not a URL"],
    ["", "empty"],
  ])("fails when %j has %s", (url) => {
    expect(ovhRegionOfEndpoint(url)).toBeUndefined();
    expect(isOvhObjectStorageEndpoint(url)).toBe(false);
  });

  test("the problem says what is wrong and which endpoint to use", () => {
    expect(ovhS3EndpointProblem("http://s3.gra.io.cloud.ovh.net")).toEqual({
      message: "the endpoint is not HTTPS",
      fix: "use https://s3.gra.io.cloud.ovh.net",
    });
    expect(ovhS3EndpointProblem("https://s3.gra.io.cloud.ovh.net:8443")).toEqual({
      message: "the endpoint has the port 8443",
      fix: "use https://s3.gra.io.cloud.ovh.net",
    });
    expect(ovhS3EndpointProblem("https://s3.gra.io.cloud.ovh.net/platform")).toEqual({
      message: "the endpoint has the path /platform",
      fix: "use https://s3.gra.io.cloud.ovh.net and give the bucket and key separately",
    });
    expect(ovhS3EndpointProblem("https://s3.gra.io.cloud.ovh.net?x=1")?.message).toBe("the endpoint has a query or fragment");
    expect(ovhS3EndpointProblem("https://user:secret@s3.gra.io.cloud.ovh.net")).toEqual({
      message: "the endpoint has credentials in it",
      fix: "use https://s3.gra.io.cloud.ovh.net; credentials go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY only",
    });
    expect(ovhS3EndpointProblem("https://s3.gra.perf.cloud.ovh.net")).toEqual({
      message: "this is OVHcloud's legacy perf endpoint, kept only for compatibility",
      fix: "use https://s3.gra.io.cloud.ovh.net",
    });
    expect(ovhS3EndpointProblem("https://s3.gra.cloud.ovh.net")).toEqual({
      message: "this is the legacy Object Storage Swift endpoint",
      fix: "use https://s3.gra.io.cloud.ovh.net",
    });
    expect(ovhS3EndpointProblem("https://bucket.s3.gra.io.cloud.ovh.net")).toEqual({
      message: "the host names a bucket; the endpoint is the region's",
      fix: "use https://s3.gra.io.cloud.ovh.net and give the bucket separately",
    });
    expect(ovhS3EndpointProblem("s3.gra.io.cloud.ovh.net")).toEqual({
      message: "the endpoint has no scheme",
      fix: "write https://s3.gra.io.cloud.ovh.net",
    });
    expect(ovhS3EndpointProblem("https://storage.gra.cloud.ovh.net")).toEqual({
      message: "storage.gra.cloud.ovh.net is not an Object Storage endpoint",
      fix: "use https://s3.<region>.io.cloud.ovh.net, e.g. https://s3.gra.io.cloud.ovh.net",
    });
  });

  test("an unknown region gets the closest, and Singapore's compute name gets sgp", () => {
    expect(ovhS3EndpointProblem("https://s3.ap-southeast-sgp.io.cloud.ovh.net")).toEqual({
      message: "ap-southeast-sgp is not an OVHcloud Object Storage region",
      fix: "did you mean https://s3.sgp.io.cloud.ovh.net?",
    });
    expect(ovhS3EndpointProblem("https://s3.grra.io.cloud.ovh.net")?.fix).toBe("did you mean https://s3.gra.io.cloud.ovh.net?");
    expect(ovhS3EndpointProblem("https://s3.xyzzy.io.cloud.ovh.net")?.fix).toMatch(/^use one of gra, rbx, sbg, /);
  });

  test("another S3-compatible store is not judged", () => {
    expect(ovhS3EndpointProblem("https://s3.eu-west-1.amazonaws.com")).toBeUndefined();
    expect(ovhS3EndpointProblem("http://127.0.0.1:9000")).toBeUndefined();
  });
});
