import { dev } from "../../environments/dev";
import { S3StateConfig } from "../../environments/types";
import { devWithPool, problemsOf } from "../support/environments";

const generic = { ...dev.cluster, provider: "generic" as const };
const withState = (state: Omit<S3StateConfig, "backend" | "bucket">) => ({
  ...dev,
  state: { backend: "s3" as const, bucket: "platform-state", ...state },
});

describe("OVHcloud flavors", () => {
  test("fails when a pool's flavor is not in the catalogue, and suggests the one meant", () => {
    expect(problemsOf(devWithPool(1, { flavor: "b2-8" }))).toEqual([
      'environments/dev.ts: nodePools[1].flavor: flavor is not an OVHcloud Managed Kubernetes flavor the platform knows (got "b2-8"; did you mean b2-7? Flavors are lower-case, as OVH_FLAVORS in core/ovh.ts lists them)',
    ]);
  });

  test("fails when nothing in the catalogue is close, and says where to add a flavor", () => {
    expect(problemsOf(devWithPool(1, { flavor: "t1-45" }))).toEqual([
      'environments/dev.ts: nodePools[1].flavor: flavor is not an OVHcloud Managed Kubernetes flavor the platform knows (got "t1-45"; use a flavor of OVH_FLAVORS in core/ovh.ts, e.g. b3-16 or c3-8, or add the flavor there with its source)',
    ]);
  });

  test("passes any flavor on a generic cluster, whose machines are its own", () => {
    expect(problemsOf({ ...devWithPool(1, { flavor: "n2-standard-8" }), cluster: generic })).toEqual([]);
  });
});

describe("OVHcloud node limits", () => {
  test("fails when a pool may grow beyond what a free-plan cluster holds", () => {
    expect(problemsOf(devWithPool(1, { maxNodes: 120 }))).toEqual([
      'environments/dev.ts: nodePools[1].maxNodes: maxNodes is above the 100 nodes an OVHcloud free-plan cluster holds (got 120; lower maxNodes to 100 or less, or set cluster.plan: "standard" if the cluster is on that plan, which holds 500)',
    ]);
  });

  test("fails when the pools together may grow beyond the cluster's limit", () => {
    expect(problemsOf(devWithPool(1, { maxNodes: 98 }))).toEqual([
      'environments/dev.ts: nodePools: the pools may grow to 101 nodes together, above the 100 an OVHcloud free-plan cluster holds (got {"system":3,"applications":98}; lower the pools\' maxNodes to 100 in total, or set cluster.plan: "standard" if the cluster is on that plan, which holds 500)',
    ]);
  });

  test("passes 500 nodes on the standard plan, and fails beyond", () => {
    const standard = { ...dev.cluster, plan: "standard" as const };
    expect(problemsOf({ ...devWithPool(1, { maxNodes: 497 }), cluster: standard })).toEqual([]);
    expect(problemsOf({ ...devWithPool(1, { maxNodes: 498 }), cluster: standard })).toEqual([
      'environments/dev.ts: nodePools: the pools may grow to 501 nodes together, above the 500 an OVHcloud standard-plan cluster holds (got {"system":3,"applications":498}; lower the pools\' maxNodes to 500 in total)',
    ]);
  });

  test("passes a generic cluster of any size", () => {
    expect(problemsOf({ ...devWithPool(1, { maxNodes: 1000 }), cluster: generic })).toEqual([]);
  });

  test("fails when the plan is unknown, or set on a generic cluster", () => {
    expect(problemsOf({ ...dev, cluster: { ...dev.cluster, plan: "premium" as never } })).toEqual([
      'environments/dev.ts: cluster.plan: unknown OVHcloud Managed Kubernetes plan (got "premium"; use "free" or "standard", as the cluster\'s page in OVHcloud\'s control panel says)',
    ]);
    expect(problemsOf({ ...dev, cluster: { ...generic, plan: "free" as const } })).toEqual([
      'environments/dev.ts: cluster.plan: a plan is OVHcloud\'s; a generic cluster has none (got "free"; remove plan, or set provider: "ovh")',
    ]);
  });
});

describe("state region and endpoint", () => {
  test("fails when, without an endpoint, the region is not an OVHcloud Object Storage region", () => {
    expect(problemsOf(withState({ region: "ap-southeast-sgp" }))).toEqual([
      'environments/dev.ts: state.region: state region is not an OVHcloud Object Storage region, and without an endpoint the endpoint is derived from it: https://s3.ap-southeast-sgp.io.cloud.ovh.net does not exist (got "ap-southeast-sgp"; did you mean sgp? For another S3-compatible store, set endpoint)',
    ]);
    expect(problemsOf(withState({ region: "us-east-1" }))).toEqual([
      'environments/dev.ts: state.region: state region is not an OVHcloud Object Storage region, and without an endpoint the endpoint is derived from it: https://s3.us-east-1.io.cloud.ovh.net does not exist (got "us-east-1"; use one of gra, rbx, sbg, eu-west-par, eu-south-mil, de, uk, waw, bhs, ca-east-tor, sgp, ap-southeast-syd, ap-south-mum, or set endpoint for another S3-compatible store)',
    ]);
  });

  test("fails when an OVHcloud endpoint names a region that does not exist", () => {
    expect(problemsOf(withState({ region: "gra", endpoint: "https://s3.grav.io.cloud.ovh.net" }))).toEqual([
      'environments/dev.ts: state.endpoint: grav is not an OVHcloud Object Storage region (got "https://s3.grav.io.cloud.ovh.net"; did you mean https://s3.gra.io.cloud.ovh.net?)',
    ]);
  });

  test("fails when an OVHcloud endpoint is the legacy one", () => {
    expect(problemsOf(withState({ region: "gra", endpoint: "https://s3.gra.perf.cloud.ovh.net" }))).toEqual([
      'environments/dev.ts: state.endpoint: this is OVHcloud\'s legacy perf endpoint, kept only for compatibility (got "https://s3.gra.perf.cloud.ovh.net"; use https://s3.gra.io.cloud.ovh.net)',
    ]);
  });

  test("fails when the region differs from the OVHcloud endpoint's", () => {
    expect(problemsOf(withState({ region: "sbg", endpoint: "https://s3.gra.io.cloud.ovh.net" }))).toEqual([
      'environments/dev.ts: state.region: state region differs from the endpoint\'s, gra: requests are signed for the region, and OVHcloud refuses a signature for another (got "sbg"; set region: "gra", or use https://s3.sbg.io.cloud.ovh.net if that region is meant)',
    ]);
  });

  test("passes another S3-compatible store's endpoint with its own region", () => {
    expect(problemsOf(withState({ region: "us-east-1", endpoint: "https://minio.example.com" }))).toEqual([]);
    expect(problemsOf(withState({ region: "eu-west-par", endpoint: "https://s3.eu-west-par.io.cloud.ovh.net" }))).toEqual([]);
  });
});
