import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { KubernetesManifest } from "../helm/manifests-release";
import { EXTERNAL_SECRETS_API } from "./generated-secret";

export interface NamespaceSecretAccessProps {
  /** The namespace that receives copies: where the SecretStore and its service account live. */
  readonly namespace: string;
  /** The namespace the Secrets are read from. */
  readonly sourceNamespace: string;
  /** The only Secrets of `sourceNamespace` that may be read. */
  readonly secretNames: readonly string[];
  /** Name of the SecretStore, its service account and the Role. */
  readonly name: string;
  /** Labels on the three objects. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Lets External Secrets copy exactly these Secrets of one namespace into
 * another: a service account in the receiving namespace, a Role in the source
 * namespace granting `get` on those Secret names only, and the binding. The
 * SecretStore that uses them (`store`, a `kubernetes` provider store) goes
 * into a manifests release of the receiving namespace. No value passes
 * through Terraform: External Secrets reads them in the cluster.
 */
export class NamespaceSecretAccess extends Construct {
  public readonly serviceAccount: ServiceAccountV1;
  public readonly role: RoleV1;
  public readonly binding: RoleBindingV1;
  /** The SecretStore manifest, named `name`, reading `sourceNamespace` as the service account. */
  public readonly store: KubernetesManifest;

  constructor(scope: Construct, id: string, props: NamespaceSecretAccessProps) {
    super(scope, id);
    const labels = { ...props.labels };
    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: props.name, namespace: props.namespace, labels },
      // The token is requested by External Secrets for the store; no pod mounts it.
      automountServiceAccountToken: false,
    });
    this.role = new RoleV1(this, "role", {
      metadata: { name: `${props.namespace}-${props.name}`, namespace: props.sourceNamespace, labels },
      rule: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [...props.secretNames], verbs: ["get"] }],
    });
    this.binding = new RoleBindingV1(this, "binding", {
      metadata: { name: `${props.namespace}-${props.name}`, namespace: props.sourceNamespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: props.name, namespace: props.namespace }],
    });
    this.store = {
      apiVersion: EXTERNAL_SECRETS_API,
      kind: "SecretStore",
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        provider: {
          kubernetes: {
            remoteNamespace: props.sourceNamespace,
            // The API server's CA, which Kubernetes publishes in every namespace.
            server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
            auth: { serviceAccount: { name: props.name } },
          },
        },
      },
    };
  }

  /** What the store needs before External Secrets can use it. */
  public get dependables(): ITerraformDependable[] {
    return [this.serviceAccount, this.role, this.binding];
  }
}

/** One key of a copied Secret: `secretKey` in the template's context, read from `key`'s `property`. */
export interface CopiedKey {
  readonly secretKey: string;
  readonly key: string;
  readonly property: string;
}

export interface CopiedSecretOptions {
  readonly name: string;
  readonly namespace: string;
  readonly store: string;
  readonly keys: readonly CopiedKey[];
  /** The target Secret's keys: literals, or Go templates over `keys`' secretKeys (External Secrets' template engine v2). */
  readonly template: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** How often a change at the source (a rotated password) reaches the copy. @default "15m" */
  readonly refreshInterval?: string;
}

/** An ExternalSecret that builds a Secret from keys of Secrets a `NamespaceSecretAccess` store may read. */
export function copiedSecretManifest(options: CopiedSecretOptions): KubernetesManifest {
  return {
    apiVersion: EXTERNAL_SECRETS_API,
    kind: "ExternalSecret",
    metadata: { name: options.name, namespace: options.namespace, labels: { ...options.labels } },
    spec: {
      refreshInterval: options.refreshInterval ?? "15m",
      secretStoreRef: { kind: "SecretStore", name: options.store },
      target: {
        name: options.name,
        creationPolicy: "Owner",
        template: { type: "Opaque", engineVersion: "v2", data: { ...options.template } },
      },
      data: options.keys.map((key) => ({ secretKey: key.secretKey, remoteRef: { key: key.key, property: key.property } })),
    },
  };
}
