/**
 * A local HTTP server on 127.0.0.1 that answers the GitHub REST calls the
 * report makes, with GitHub's paths, status codes, Link pagination and error
 * bodies, and records every request. The code under test uses the real fetch.
 */
import * as http from "http";
import { AddressInfo } from "net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

interface Comment {
  id: number;
  body: string;
}

interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  pull_request?: object;
}

export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export const TOKEN = "ghs_test-token-for-the-fake-server";
export const REPOSITORY = "acme/platform";

export class FakeGitHub {
  public readonly requests: RecordedRequest[] = [];
  public readonly comments = new Map<number, Comment[]>();
  public readonly labels = new Map<number, Set<string>>();
  public readonly issues: Issue[] = [];
  /** Items per page, small so that pagination is exercised. */
  public pageSize = 2;
  /** Answer writes with 403, as GitHub does for a read-only token. */
  public readOnly = false;
  /** Make the Link header point at another host. */
  public foreignNextPage = false;
  /** Canned answers (rate limits, server errors), one per request, before any route; recorded like the rest. */
  public readonly interrupts: CannedAnswer[] = [];
  private nextId = 1000;
  private server?: http.Server;
  public url = "";

  public async start(): Promise<void> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
  }

  public addComment(issue: number, body: string): Comment {
    const comment = { id: this.nextId++, body };
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), comment]);
    return comment;
  }

  public addIssue(issue: Omit<Issue, "number">): Issue {
    const created = { ...issue, number: this.nextId++ };
    this.issues.push(created);
    return created;
  }

  /** Requests that change something. */
  public writes(): RecordedRequest[] {
    return this.requests.filter((request) => request.method !== "GET");
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    const url = new URL(request.url ?? "/", this.url);
    const method = request.method ?? "GET";
    this.requests.push({ method, path: url.pathname + url.search, headers: request.headers, body });

    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    const interrupt = this.interrupts.shift();
    if (interrupt) return send(interrupt.status, interrupt.body, interrupt.headers);
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: "Bad credentials" });
    if (this.readOnly && method !== "GET") return send(403, { message: "Resource not accessible by integration" });

    const prefix = `/repos/${REPOSITORY}`;
    const route = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : "";
    const fields = (body ?? {}) as Record<string, unknown>;
    let match: RegExpMatchArray | null;

    if ((match = route.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = Number(match[1]);
      if (method === "GET") return this.page(url, this.comments.get(issue) ?? [], send);
      if (method === "POST") return send(201, this.html(this.addComment(issue, String(fields.body))));
    }
    if ((match = route.match(/^\/issues\/comments\/(\d+)$/)) && method === "PATCH") {
      const comment = [...this.comments.values()].flat().find((candidate) => candidate.id === Number(match?.[1]));
      if (!comment) return send(404, { message: "Not Found" });
      comment.body = String(fields.body);
      return send(200, this.html(comment));
    }
    if ((match = route.match(/^\/issues\/(\d+)\/labels$/)) && method === "POST") {
      const labels = this.labels.get(Number(match[1])) ?? new Set<string>();
      for (const label of fields.labels as string[]) labels.add(label);
      this.labels.set(Number(match[1]), labels);
      return send(
        200,
        [...labels].map((name) => ({ name })),
      );
    }
    if ((match = route.match(/^\/issues\/(\d+)\/labels\/(.+)$/)) && method === "DELETE") {
      const labels = this.labels.get(Number(match[1]));
      const name = decodeURIComponent(match[2]);
      if (!labels?.delete(name)) return send(404, { message: "Label does not exist" });
      return send(
        200,
        [...labels].map((label) => ({ name: label })),
      );
    }
    if (route === "/issues" && method === "GET") {
      const wanted = url.searchParams.get("labels")?.split(",") ?? [];
      const open = this.issues.filter(
        (issue) => issue.state === url.searchParams.get("state") && wanted.every((label) => issue.labels.includes(label)),
      );
      return this.page(url, open, send);
    }
    if (route === "/issues" && method === "POST") {
      const issue = this.addIssue({
        title: String(fields.title),
        body: String(fields.body),
        state: "open",
        labels: fields.labels as string[],
      });
      return send(201, this.html(issue));
    }
    if ((match = route.match(/^\/issues\/(\d+)$/)) && method === "PATCH") {
      const issue = this.issues.find((candidate) => candidate.number === Number(match?.[1]));
      if (!issue) return send(404, { message: "Not Found" });
      if (typeof fields.body === "string") issue.body = fields.body;
      if (fields.state === "closed") issue.state = "closed";
      return send(200, this.html(issue));
    }
    send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }

  private page(
    url: URL,
    items: readonly object[],
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const page = Number(url.searchParams.get("page") ?? "1");
    const last = Math.max(1, Math.ceil(items.length / this.pageSize));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url.toString());
      next.searchParams.set("page", String(page + 1));
      const base = this.foreignNextPage ? next.toString().replace("127.0.0.1", "evil.example") : next.toString();
      headers.link = `<${base}>; rel="next", <${base.replace(/page=\d+/, `page=${last}`)}>; rel="last"`;
    }
    send(
      200,
      items.slice((page - 1) * this.pageSize, page * this.pageSize).map((item) => this.html(item)),
      headers,
    );
  }

  private html<T extends object>(item: T): T & { html_url: string } {
    const id = "number" in item ? `issues/${String(item.number)}` : `pull/1#issuecomment-${"id" in item ? String(item.id) : ""}`;
    return { ...item, html_url: `https://github.com/${REPOSITORY}/${id}` };
  }
}
