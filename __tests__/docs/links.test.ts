import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { anchors, brokenLinks, documentationFiles, githubSlug, links } from "./markdown";

describe("documentation links", () => {
  test.each(documentationFiles())("every relative link of %s reaches a file and, with a #fragment, a heading", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  test("README links every page under docs/", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const targets = new Set(links(readme).map((link) => link.target.split("#")[0]));
    const pages = documentationFiles().filter((file) => file.startsWith("docs/"));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.filter((page) => !targets.has(page))).toEqual([]);
  });
});

describe("the link checker", () => {
  test("makes GitHub's anchors: lowercase, punctuation dropped but '-' and '_', spaces to '-'", () => {
    expect(githubSlug("Kafka, Argo CD and observability (Kubernetes)")).toBe("kafka-argo-cd-and-observability-kubernetes");
    expect(githubSlug("Core services (Kubernetes)")).toBe("core-services-kubernetes");
    expect(githubSlug("`PLAT-HELM-001` and snake_case")).toBe("plat-helm-001-and-snake_case");
    expect(githubSlug("Pull-request plans")).toBe("pull-request-plans");
    expect(githubSlug("Terraform plan: 🛑 5 deletions")).toBe("terraform-plan--5-deletions");
  });

  test("numbers repeated headings and ignores headings in code blocks", () => {
    const markdown = [
      "# Setup",
      "",
      "```sh",
      "# not a heading",
      "```",
      "",
      "## Setup",
      "",
      "````markdown",
      "## Example inside",
      "```diff",
      "- a",
      "```",
      "````",
    ].join("\n");
    expect([...anchors(markdown)]).toEqual(["setup", "setup-1"]);
  });

  describe("on a scratch repository", () => {
    let root: string;
    beforeAll(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
      fs.mkdirSync(path.join(root, "docs"));
      fs.writeFileSync(path.join(root, "docs", "state.md"), "# State\n\n## Local state for experiments\n");
      fs.writeFileSync(path.join(root, "main.ts"), "");
    });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    const check = (markdown: string): string[] => {
      fs.writeFileSync(path.join(root, "README.md"), markdown);
      return brokenLinks("README.md", root);
    };

    test("accepts links to files, headings of other pages and of the page itself", () => {
      expect(
        check(
          "# Intro\n\nSee [state](docs/state.md), [experiments](docs/state.md#local-state-for-experiments), [intro](#intro), " +
            "[main](main.ts), [site](https://example.com/x.md#nope) and `[code](nowhere.md)`.\n\n```md\n[fenced](nowhere.md)\n```\n",
        ),
      ).toEqual([]);
    });

    test("fails when a link's file does not exist", () => {
      expect(check("# Intro\n\nSee [state](docs/stat.md).\n")).toEqual(["README.md:3: docs/stat.md: docs/stat.md does not exist"]);
    });

    test("fails when a link's fragment names no heading", () => {
      expect(check("# Intro\n\n[a](docs/state.md#local-state) [b](#introduction)\n")).toEqual([
        "README.md:3: docs/state.md#local-state: docs/state.md has no heading with the anchor #local-state",
        "README.md:3: #introduction: README.md has no heading with the anchor #introduction",
      ]);
    });

    test("fails when a link leaves the repository or starts at the site root", () => {
      expect(check("[up](../outside.md) [root](/docs/state.md)\n")).toEqual([
        "README.md:1: ../outside.md: points outside the repository",
        "README.md:1: /docs/state.md: use a path relative to README.md, not one from the site root",
      ]);
    });
  });
});
