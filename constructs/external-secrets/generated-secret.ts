import { KubernetesManifest } from "../helm/manifests-release";

export interface GeneratedSecretOptions {
  /** Name of the Kubernetes Secret to create. */
  readonly name: string;
  readonly namespace: string;
  /** Secret data: fixed values, or `{{ .password }}` for the generated password. */
  readonly data: Readonly<Record<string, string>>;
  /** @default "Opaque" */
  readonly type?: string;
  /** @default 32 */
  readonly length?: number;
  /**
   * Symbols break some clients' URL parsing (Redis and PostgreSQL connection
   * strings), so generated passwords use letters and digits only.
   * @default 0
   */
  readonly symbols?: number;
}

/** Placeholder for the generated value inside `data`. */
export const GENERATED_PASSWORD = "{{ .password }}";

export const EXTERNAL_SECRETS_API = "external-secrets.io/v1";
export const GENERATORS_API = "generators.external-secrets.io/v1alpha1";

/**
 * A password generated inside the cluster by External Secrets: a `Password`
 * generator and an `ExternalSecret` that writes it once into a Secret. The
 * value never passes through Terraform, its plan or its state.
 */
export function generatedSecretManifests(options: GeneratedSecretOptions): KubernetesManifest[] {
  const generator = `${options.name}-generator`;
  return [
    {
      apiVersion: GENERATORS_API,
      kind: "Password",
      metadata: { name: generator, namespace: options.namespace },
      spec: {
        length: options.length ?? 32,
        digits: 6,
        symbols: options.symbols ?? 0,
        noUpper: false,
        allowRepeat: true,
      },
    },
    {
      apiVersion: EXTERNAL_SECRETS_API,
      kind: "ExternalSecret",
      metadata: { name: options.name, namespace: options.namespace },
      spec: {
        // Generated once: a periodic refresh would rotate the password under running clients.
        refreshPolicy: "CreatedOnce",
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: GENERATORS_API, kind: "Password", name: generator } } }],
        target: {
          name: options.name,
          creationPolicy: "Owner",
          // Keep the Secret if the ExternalSecret is deleted: data outlives its generator.
          deletionPolicy: "Retain",
          template: { type: options.type ?? "Opaque", engineVersion: "v2", data: { ...options.data } },
        },
      },
    },
  ];
}
