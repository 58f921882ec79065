import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { production } from "../../environments/production";
import { staging } from "../../environments/staging";
import { synthEnvironment } from "../support/synth";

describe("remote state", () => {
  test.each([dev, staging, production].map((config) => [config.name, config]))(
    "%s keeps its state in OVHcloud Object Storage under its own key, locked by a lockfile",
    (name, config) => {
      const backend = synthEnvironment(config).parsed.terraform.backend;
      expect(backend).toEqual({
        s3: {
          bucket: "platform-terraform-state",
          key: `platform/${name}.tfstate`,
          region: "gra",
          endpoints: { s3: "https://s3.gra.io.cloud.ovh.net" },
          skip_region_validation: true,
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_s3_checksum: true,
          use_path_style: true,
          use_lockfile: true,
        },
      });
    },
  );

  test("uses the configured endpoint and key prefix", () => {
    const state = { backend: "s3" as const, bucket: "b-1", region: "sbg", endpoint: "https://s3.example.net", keyPrefix: "teams/platform" };
    const backend = synthEnvironment({ ...dev, state }).parsed.terraform.backend.s3;
    expect(backend).toMatchObject({
      bucket: "b-1",
      key: "teams/platform/dev.tfstate",
      region: "sbg",
      endpoints: { s3: "https://s3.example.net" },
    });
  });

  test("never writes credentials into the backend block", () => {
    for (const config of [dev, staging, production]) {
      const backend = JSON.stringify(synthEnvironment(config).parsed.terraform.backend);
      expect(backend).not.toMatch(/access_key|secret_key|token|profile|shared_credentials/);
    }
  });
});

describe("local state", () => {
  test("local keeps terraform.local.tfstate in the project root", () => {
    expect(synthEnvironment(local).parsed.terraform.backend).toEqual({ local: { path: "../../../terraform.local.tfstate" } });
  });

  test("a declared local path is kept relative to the project root", () => {
    const config = { ...local, state: { backend: "local" as const, path: "state/laptop.tfstate" } };
    expect(synthEnvironment(config).parsed.terraform.backend).toEqual({ local: { path: "../../../state/laptop.tfstate" } });
  });

  test("forceLocal switches a remote-state stack to a local file", () => {
    expect(synthEnvironment(production, { forceLocal: true }).parsed.terraform.backend).toEqual({
      local: { path: "../../../terraform.production.tfstate" },
    });
  });
});
