import { SynthesizedStack, resourcesOfType } from "./synth";

/** The parts of a synthesized docker_container the tests read. */
export interface ContainerJson {
  readonly name: string;
  readonly image: string;
  readonly restart?: string;
  readonly memory?: number;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly volumes?: ReadonlyArray<{ readonly volume_name: string; readonly container_path: string }>;
  readonly ports?: ReadonlyArray<{ readonly internal: number; readonly external: number; readonly ip: string }>;
  readonly labels?: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly upload?: ReadonlyArray<{ readonly file: string; readonly content: string; readonly permissions?: string }>;
  readonly env?: readonly string[];
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly networks_advanced?: ReadonlyArray<{ readonly name: string; readonly aliases?: readonly string[] }>;
  readonly depends_on?: readonly string[];
}

/** Every container of a stack, by its name on the engine (`local-redis-0`). */
export function containersByName(stack: SynthesizedStack): Record<string, ContainerJson> {
  const containers = Object.values(resourcesOfType(stack, "docker_container")) as unknown as ContainerJson[];
  return Object.fromEntries(containers.map((container) => [container.name, container]));
}

/** The image reference (`redis:8.10.1`) a container runs, through its docker_image resource. */
export function imageOf(stack: SynthesizedStack, container: ContainerJson): string {
  const match = /^\$\{docker_image\.([^.]+)\.image_id\}$/.exec(container.image);
  if (!match) throw new Error(`${container.name} does not run a docker_image resource: ${container.image}`);
  return String(resourcesOfType(stack, "docker_image")[match[1]]?.name);
}

/** Content of a file uploaded into a container; fails the test when absent. */
export function uploaded(container: ContainerJson, file: string): string {
  const upload = (container.upload ?? []).find((candidate) => candidate.file === file);
  if (!upload) throw new Error(`${container.name} has no upload ${file}`);
  return upload.content;
}
