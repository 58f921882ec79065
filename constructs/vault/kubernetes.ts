import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { podAntiAffinity, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../kubernetes/affinity";
import { CERT_MANAGER_API, IssuerReference, PLATFORM_CA_ISSUER } from "../cert-manager/kubernetes";
import { assertValidProps } from "../common/validate-props";
import { KubernetesManifest, ManifestsRelease } from "../helm/manifests-release";
import { HelmValues } from "../helm/merge-values";
import { chartFullname, PlatformRelease } from "../helm/platform-release";
import { checkNamespaceName, checkReleaseName } from "../kubernetes/names";
import { PlatformNamespace } from "../kubernetes/platform-namespace";
import {
  hardAntiAffinity,
  KubernetesServiceProps,
  ResolvedServiceProps,
  resolveServiceProps,
  serviceHost,
} from "../kubernetes/service-props";
import { VAULT_CHART } from "./chart";
import { renderSeal, SealRendering } from "./seal";
import { VAULT_INJECTOR_RESOURCES } from "./sizing";
import { VAULT_AUDIT_DIRECTORY, resolveVault, ResolvedVaultSpec, validateVault, VaultSpec, vaultWarnings } from "./spec";

export interface VaultProps extends KubernetesServiceProps {
  /** @default - VAULT_DEFAULTS */
  readonly spec?: VaultSpec;
  /** Namespaces whose pods reach the Vault API (External Secrets). @default [] */
  readonly clientNamespaces?: readonly string[];
  /** @default "vault" */
  readonly namespace?: string;
  /** Helm release name; the chart names its Services and pods after it. @default "vault" */
  readonly releaseName?: string;
  /**
   * The cert-manager issuer of the listener's certificate; the certificate
   * is requested once `ready` is, and Vault starts after it.
   * @default - the ClusterIssuer "platform-ca" (`CertManager`'s default), which must exist
   */
  readonly tlsIssuer?: IssuerReference;
}

/** @default namespace and release name */
export const VAULT_NAMESPACE = "vault";
export const VAULT_RELEASE = "vault";
export const VAULT_API_PORT = 8200;
const API_PORT = VAULT_API_PORT;
const CLUSTER_PORT = 8201;
/** Where the chart mounts each `server.extraVolumes` entry: `<path, default /vault/userconfig>/<name>` (_helpers.tpl at v0.34.1). */
const USERCONFIG = "/vault/userconfig";
/** A key of a Secret in the namespace of whoever reads it. */
export interface SecretKeyReference {
  readonly secretName: string;
  readonly key: string;
}

/**
 * Vault in HA mode on integrated raft storage, serving its API over TLS with
 * a certificate cert-manager issues before Vault starts (Secret
 * `<fullname>-tls`: `tls.crt`, `tls.key`, `ca.crt`). Initialisation and
 * unseal are an operator's step (docs/services.md): no key share or root
 * token ever passes through Terraform.
 */
export class Vault extends Construct {
  public readonly spec: ResolvedVaultSpec;
  public readonly namespaceName: string;
  public readonly releaseName: string;
  /** What the chart names its pods and Services after (`vault`, `vault-active`, `vault-internal`). */
  public readonly fullname: string;
  public readonly namespace: PlatformNamespace;
  public readonly helm: PlatformRelease;
  /** The listener's certificate, through the project's manifests chart. */
  public readonly certificate: ManifestsRelease;
  /** The PrometheusRule that alerts on a sealed pod and an unhealthy raft cluster; only with monitoring. */
  public readonly alerts?: ManifestsRelease;
  /** `https://<fullname>-active.<namespace>.svc.cluster.local:8200`: the active node, for clients inside the cluster. */
  public readonly address: string;
  public readonly port = VAULT_API_PORT;
  /** Secret of the listener's certificate in `namespaceName`, written by cert-manager: `tls.crt`, `tls.key`, `ca.crt`. */
  public readonly tlsSecretName: string;
  /** What a client verifies the API with: `ca.crt` of `tlsSecretName`, the CA ClusterIssuer's certificate. */
  public readonly caCertificate: SecretKeyReference;
  /** The names the certificate covers: every Service, every pod, `localhost` (and IP 127.0.0.1) for port-forwards. */
  public readonly dnsNames: readonly string[];

  constructor(scope: Construct, id: string, props: VaultProps = {}) {
    super(scope, id);
    const service = resolveServiceProps(this, props);
    this.namespaceName = props.namespace ?? VAULT_NAMESPACE;
    this.releaseName = props.releaseName ?? VAULT_RELEASE;
    assertValidProps(this, (problems) => {
      validateVault(props.spec, service.context, problems.at("spec"));
      checkNamespaceName(problems, "namespace", this.namespaceName);
      checkReleaseName(problems, "releaseName", this.releaseName);
      const sealSecret =
        props.spec?.seal !== undefined && "credentials" in props.spec.seal ? props.spec.seal.credentials?.secretName : undefined;
      problems.check(
        sealSecret === undefined || sealSecret !== `${chartFullname(this.releaseName, VAULT_CHART.chart)}-tls`,
        "spec.seal.credentials.secretName",
        "is the Secret of the listener's certificate, which cert-manager writes",
        sealSecret,
        "keep the seal's credentials in a Secret of their own",
      );
    });
    this.spec = resolveVault(props.spec);
    for (const warning of vaultWarnings(props.spec)) Annotations.of(this).addWarning(warning);

    const seal = renderSeal(this.spec.seal, USERCONFIG);
    this.namespace = new PlatformNamespace(this, "namespace", {
      name: this.namespaceName,
      prometheusNamespace: service.prometheusNamespace,
      podSecurity: "restricted",
      // The Kubernetes auth method reviews service account tokens with the API server.
      kubernetesApi: true,
      ingressFrom: (props.clientNamespaces ?? []).map((namespace) => ({ namespace, ports: [API_PORT] })),
      clientPorts: [API_PORT],
      metricsPorts: [API_PORT],
      // An auto-unseal seal calls its KMS, or the transit Vault, at every start.
      extraEgress: seal.egressPorts.length
        ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: seal.egressPorts.map((port) => ({ port: String(port), protocol: "TCP" })) }]
        : [],
    });

    this.fullname = chartFullname(this.releaseName, VAULT_CHART.chart);
    this.address = `https://${serviceHost(`${this.fullname}-active`, this.namespaceName)}:${API_PORT}`;
    this.tlsSecretName = `${this.fullname}-tls`;
    this.caCertificate = { secretName: this.tlsSecretName, key: "ca.crt" };
    this.dnsNames = vaultDnsNames(this.fullname, this.namespaceName, this.spec);
    const issuer = props.tlsIssuer ?? { name: PLATFORM_CA_ISSUER, kind: "ClusterIssuer" };
    this.certificate = new ManifestsRelease(this, "certificate", {
      name: `${this.releaseName}-certificate`,
      namespace: this.namespaceName,
      manifests: [this.certificateManifest(issuer)],
      dependsOn: [...service.dependsOn, ...this.namespace.dependables, ...(issuer.ready ?? [])],
    });
    const tls: ListenerTls = {
      secretName: this.tlsSecretName,
      directory: `${USERCONFIG}/${this.tlsSecretName}`,
      serverName: `${this.fullname}.${this.namespaceName}.svc`,
    };
    this.helm = new PlatformRelease(this, "release", {
      name: this.releaseName,
      namespace: this.namespace.namespace.metadata.name,
      source: VAULT_CHART,
      values: vaultValues(this.spec, service, this.releaseName, this.fullname, tls, seal),
      overrides: this.spec.values,
      // The pods mount the certificate's Secret: cert-manager writes it once the Certificate exists.
      dependsOn: [...service.dependsOn, ...this.namespace.dependables, this.certificate.helm.release],
      preventDestroy: service.preventDestroy,
    });
    if (service.monitoring) {
      this.alerts = new ManifestsRelease(this, "alerts", {
        name: `${this.releaseName}-alerts`,
        namespace: this.namespaceName,
        manifests: [vaultAlerts(this.fullname, this.namespaceName, this.spec.replicas)],
        // The PrometheusRule CRD comes with the Prometheus Operator, which `dependsOn` holds in a stack.
        dependsOn: [...service.dependsOn, ...this.namespace.dependables],
      });
    }
  }

  private certificateManifest(issuer: IssuerReference): KubernetesManifest {
    return {
      apiVersion: CERT_MANAGER_API,
      kind: "Certificate",
      metadata: { name: this.tlsSecretName, namespace: this.namespaceName },
      spec: {
        secretName: this.tlsSecretName,
        dnsNames: [...this.dnsNames],
        // VAULT_ADDR in the pods and `kubectl port-forward` on a workstation.
        ipAddresses: ["127.0.0.1"],
        duration: this.spec.tls.duration,
        renewBefore: this.spec.tls.renewBefore,
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        usages: ["digital signature", "server auth"],
        issuerRef: { name: issuer.name, kind: issuer.kind, group: "cert-manager.io" },
      },
    };
  }
}

/**
 * Alerts on what the ServiceMonitor scrapes from every pod: a pod that
 * answers but is not unsealed (Vault sets no `vault_core_unsealed` before its
 * first unseal, so absence counts as sealed), a pod Prometheus cannot read,
 * and the raft cluster as autopilot sees it from the active node
 * (`vault_autopilot_*` exist only there).
 */
export function vaultAlerts(fullname: string, namespace: string, replicas: number): KubernetesManifest {
  const selector = `namespace="${namespace}",job="${fullname}-internal"`;
  const exec = `kubectl -n ${namespace} exec -ti {{ $labels.pod }} --`;
  const rule = (alert: string, expr: string, duration: string, severity: "critical" | "warning", summary: string, description: string) => ({
    alert,
    expr,
    for: duration,
    labels: { severity },
    annotations: { summary, description },
  });
  const rules = [
    rule(
      "VaultSealed",
      `up{${selector}} == 1 unless on (namespace, pod) vault_core_unsealed{${selector}} == 1`,
      "5m",
      "critical",
      "Vault pod {{ $labels.pod }} is sealed or not initialised",
      `{{ $labels.pod }} answers but does not report vault_core_unsealed 1: it serves nothing and does not count towards the raft quorum. Check with \`${exec} vault status\`. With the Shamir seal an operator unseals it: \`${exec} vault operator unseal\`, once per key share up to the threshold. With an auto-unseal seal, its log names the KMS error: \`kubectl -n ${namespace} logs {{ $labels.pod }}\`. A new cluster is initialised first (docs/services.md, Vault).`,
    ),
    rule(
      "VaultMetricsUnreachable",
      `up{${selector}} == 0`,
      "5m",
      "warning",
      "Prometheus cannot read Vault pod {{ $labels.pod }}",
      `The pod is down, or its certificate does not verify against ca.crt of the Secret ${fullname}-tls. \`kubectl -n ${namespace} get pods\`; \`kubectl -n ${namespace} get certificate ${fullname}-tls\`.`,
    ),
    rule(
      "VaultRaftUnhealthy",
      `max by (namespace) (vault_autopilot_healthy{${selector}}) == 0`,
      "5m",
      "critical",
      "Vault's raft cluster in {{ $labels.namespace }} is unhealthy",
      `Autopilot on the active node reports a node that is not healthy: one more failure may lose the quorum. With a token, \`vault operator raft autopilot state\` names it.`,
    ),
    rule(
      "VaultRaftPeerUnhealthy",
      `vault_autopilot_node_healthy{${selector}} == 0`,
      "5m",
      "warning",
      "Vault raft node {{ $labels.node_id }} is unhealthy",
      "Autopilot sees {{ $labels.node_id }} in the raft configuration but not keeping up (down, sealed, or lagging). Unseal it, or look at its log.",
    ),
    rule(
      "VaultRaftPeerMissing",
      `count by (namespace) (vault_autopilot_node_healthy{${selector}} == 1) < ${replicas}`,
      "10m",
      "warning",
      `Fewer than ${replicas} healthy Vault raft nodes in {{ $labels.namespace }}`,
      `${replicas} pods should each be a healthy raft voter; {{ $value }} are. A pod that never joined is missing from the raft configuration: its log shows why retry_join failed (TLS, or it is sealed). With a token, \`vault operator raft list-peers\` lists the members.`,
    ),
    ...(replicas >= 3
      ? [
          rule(
            "VaultRaftNoFailureTolerance",
            `max by (namespace) (vault_autopilot_failure_tolerance{${selector}}) < 1`,
            "10m",
            "warning",
            "Vault in {{ $labels.namespace }} cannot lose another raft node",
            "The raft quorum holds only while every remaining voter stays up: bring the missing or unhealthy nodes back before any node is drained.",
          ),
        ]
      : []),
  ];
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: `${fullname}-alerts`, namespace },
    spec: { groups: [{ name: "vault", rules }] },
  };
}

/** The certificate's Secret as the pods see it. */
interface ListenerTls {
  readonly secretName: string;
  /** Where the chart mounts it. */
  readonly directory: string;
  /** A name the certificate covers, for clients that dial pod addresses (Prometheus). */
  readonly serverName: string;
}

/**
 * Every name a client may dial: the Services the chart creates (`<fullname>`,
 * `-active`, `-standby`, the headless `-internal`, `-ui` with the UI), each
 * pod through the headless Service (raft's retry_join), short and fully
 * qualified, and `localhost`.
 */
export function vaultDnsNames(fullname: string, namespace: string, spec: Pick<ResolvedVaultSpec, "replicas" | "ui">): string[] {
  const forms = (host: string) => [host, `${host}.${namespace}`, `${host}.${namespace}.svc`, `${host}.${namespace}.svc.cluster.local`];
  const services = ["", "-active", "-standby", "-internal", ...(spec.ui ? ["-ui"] : [])].map((suffix) => `${fullname}${suffix}`);
  const pods = Array.from({ length: spec.replicas }, (_, i) => `${fullname}-${i}.${fullname}-internal`);
  return [...services.flatMap(forms), ...pods.flatMap(forms), "localhost"];
}

function vaultValues(
  spec: ResolvedVaultSpec,
  props: ResolvedServiceProps,
  release: string,
  fullname: string,
  tls: ListenerTls,
  seal: SealRendering,
): HelmValues {
  // One volume per Secret: the chart names each `userconfig-<name>`, and a name twice is an invalid pod.
  const mounted = [...new Set([tls.secretName, ...seal.mounts.map((mount) => mount.secretName)])];
  const hard = hardAntiAffinity(props.tier);
  const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser: 100,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: "RuntimeDefault" },
  };
  return {
    // https everywhere the chart writes a scheme: VAULT_ADDR, probes, Service port names, the injector's address.
    global: { enabled: true, tlsDisable: false },
    injector: {
      enabled: spec.injector,
      replicas: props.tier === "production" ? 2 : 1,
      resources: VAULT_INJECTOR_RESOURCES,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity(
        { "app.kubernetes.io/name": `${VAULT_CHART.chart}-agent-injector`, "app.kubernetes.io/instance": release, component: "webhook" },
        hard,
      ),
      securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT },
    },
    server: {
      resources: spec.resources,
      nodeSelector: props.placement.nodeSelector,
      tolerations: props.placement.tolerations,
      affinity: podAntiAffinity(
        { "app.kubernetes.io/name": VAULT_CHART.chart, "app.kubernetes.io/instance": release, component: "server" },
        hard,
      ),
      statefulSet: { securityContext: { pod: podSecurityContext, container: RESTRICTED_CONTAINER_SECURITY_CONTEXT } },
      dataStorage: { enabled: true, size: spec.dataStorage.size, storageClass: spec.dataStorage.storageClass ?? null },
      auditStorage: {
        enabled: true,
        size: spec.auditStorage.size,
        storageClass: spec.auditStorage.storageClass ?? null,
        mountPath: VAULT_AUDIT_DIRECTORY,
      },
      // Deprecated for `volumes` at 0.34.1 but still rendered; it mounts the Secret read-only at <USERCONFIG>/<name>.
      extraVolumes: mounted.map((name) => ({ type: "secret", name })),
      // The chart never sets VAULT_CACERT: the CLI in the pods (`vault operator …`) verifies the listener with it.
      extraEnvironmentVars: { VAULT_CACERT: `${tls.directory}/ca.crt` },
      // The seal's credentials, from their Secret: references only, never values.
      ...(seal.secretEnvironment.length ? { extraSecretEnvironmentVars: seal.secretEnvironment } : {}),
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas: spec.replicas,
        raft: { enabled: true, setNodeId: true, config: raftConfig(spec.replicas, fullname, tls, seal.stanza) },
        // With one voter the chart's budget would be maxUnavailable 0 and block every node drain.
        disruptionBudget: { enabled: spec.replicas >= 2 },
      },
    },
    ui: { enabled: spec.ui },
    serverTelemetry: {
      serviceMonitor: {
        enabled: props.monitoring,
        // Every pod through the headless Service, not only the active one: a sealed pod must be seen to be
        // alerted on. With unauthenticated metrics access each node answers with its own metrics.
        matchLabels: { "vault-internal": "true" },
        // The chart's default is insecureSkipVerify. Prometheus dials pod addresses, so it names a host the certificate covers.
        tlsConfig: { ca: { secret: { name: tls.secretName, key: "ca.crt" } }, serverName: tls.serverName },
      },
    },
  };
}

/** Raft storage that joins its peers by their stable StatefulSet names over TLS, and Prometheus metrics. */
function raftConfig(replicas: number, fullname: string, tls: ListenerTls, sealStanza: string): string {
  const joins = Array.from({ length: replicas }, (_, i) => {
    const peer = `${fullname}-${i}.${fullname}-internal`;
    return [
      "  retry_join {",
      `    leader_api_addr = "https://${peer}:${API_PORT}"`,
      `    leader_ca_cert_file = "${tls.directory}/ca.crt"`,
      `    leader_tls_servername = "${peer}"`,
      "  }",
    ].join("\n");
  }).join("\n");
  return [
    "ui = true",
    "",
    'listener "tcp" {',
    `  address = "[::]:${API_PORT}"`,
    `  cluster_address = "[::]:${CLUSTER_PORT}"`,
    `  tls_cert_file = "${tls.directory}/tls.crt"`,
    `  tls_key_file = "${tls.directory}/tls.key"`,
    `  tls_client_ca_file = "${tls.directory}/ca.crt"`,
    "  telemetry {",
    '    unauthenticated_metrics_access = "true"',
    "  }",
    "}",
    "",
    'storage "raft" {',
    '  path = "/vault/data"',
    joins,
    "}",
    "",
    ...(sealStanza === "" ? [] : [sealStanza, ""]),
    "telemetry {",
    '  prometheus_retention_time = "30s"',
    "  disable_hostname = true",
    "}",
    "",
    'service_registration "kubernetes" {}',
    "",
  ].join("\n");
}
