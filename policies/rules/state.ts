import { booleanAt, isObject, objectAt, show } from "../json";
import { defineRule, Finding } from "../rule";

/** The only environment whose state may stay on one machine. */
const LOCAL_STATE_ENVIRONMENTS = new Set(["local"]);

export const remoteLockedState = defineRule({
  id: "PLAT-STATE-001",
  title: "Shared environments keep state in S3 with use_lockfile",
  anchors: ["Terraform S3 backend use_lockfile (Terraform >= 1.10)"],
  severity: "error",
  waiveOn: 'the stack\'s backend (`stack.node.findChild("backend")`)',
  applies: "the stack's state backend",
  checks: "resources",
  check: (inventory) => {
    if (LOCAL_STATE_ENVIRONMENTS.has(inventory.environment)) return [];
    const backend = inventory.backend;
    if (backend === undefined) {
      return [
        {
          construct: inventory.stack,
          message: `${inventory.environment} declares no backend, so Terraform keeps its state in a local file; configure the S3 backend (configureStateBackend)`,
        },
      ];
    }
    if (backend.type !== "s3") {
      return [
        {
          construct: backend.construct,
          message: `${inventory.environment} keeps its state in the ${backend.type} backend; use the S3 backend so the team and CI share one locked state`,
        },
      ];
    }
    if (booleanAt(backend.attributes.use_lockfile) !== true) {
      return [
        {
          construct: backend.construct,
          message: `the S3 backend has use_lockfile ${show(backend.attributes.use_lockfile)}, so two runs can write the state at once; add backend.addOverride("use_lockfile", true)`,
        },
      ];
    }
    return [];
  },
});

/** Backend settings that hold or point at credentials, across backends (s3, gcs, azurerm, http, pg, remote). */
const CREDENTIAL_SETTINGS =
  /^(access_key|secret_key|token|session_token|profile|shared_credentials_files?|shared_config_files|credentials|access_token|client_secret|client_certificate_password|sas_token|password|sse_customer_key|conn_str|encryption_key)$/;

export const noBackendCredentials = defineRule({
  id: "PLAT-STATE-002",
  title: "No credentials in any backend",
  anchors: ["Checkov CKV_AWS_41 (the provider analogue)", "Checkov CKV_SECRET_2"],
  severity: "error",
  waiveOn: "the stack's backend",
  applies: "the stack's state backend",
  checks: "resources",
  check: (inventory) => {
    const backend = inventory.backend;
    if (backend === undefined) return [];
    const found: string[] = [];
    collectCredentials(backend.attributes, "", found);
    return found.map((setting): Finding => ({
      construct: backend.construct,
      message: `backend "${backend.type}" sets ${setting}, which cdk.tf.json stores in plain text; remove it and let the backend read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment`,
    }));
  },
});

function collectCredentials(node: unknown, path: string, found: string[]): void {
  for (const [key, value] of Object.entries(objectAt(node))) {
    const at = path === "" ? key : `${path}.${key}`;
    if (CREDENTIAL_SETTINGS.test(key)) found.push(at);
    else if (typeof value === "string" && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(value)) found.push(`${at} (credentials in the URL)`);
    else if (isObject(value)) collectCredentials(value, at, found);
  }
}
