/** A Prometheus scrape job that a service contributes to the local Prometheus. */
export interface ScrapeJob {
  readonly jobName: string;
  /** `host:port` on the platform network; with `exporter`, what it is asked to probe. */
  readonly targets: readonly string[];
  /** @default "/metrics" */
  readonly metricsPath?: string;
  /** Query parameters of every scrape. @default {} */
  readonly params?: Readonly<Record<string, readonly string[]>>;
  /**
   * `host:port` of a multi-target exporter: each target is passed to it as
   * `?target=` (the Prometheus multi-target exporter pattern).
   * @default - targets are scraped directly
   */
  readonly exporter?: string;
  /** Bearer token sent with every scrape, kept in a file in the Prometheus container. @default - none */
  readonly bearerToken?: string;
}
