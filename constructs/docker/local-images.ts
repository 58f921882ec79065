import { Image } from "@cdktf/provider-docker/lib/image";
import { Construct } from "constructs";
import { LocalImageName } from "./images";

/**
 * One `docker_image` per pinned image, created on first use. `keep_locally`:
 * `cdktf destroy local` removes containers and volumes but leaves images in
 * the engine's cache, so the next deploy starts without downloading them.
 */
export class LocalImages extends Construct {
  private readonly pulled = new Map<LocalImageName, Image>();

  constructor(
    scope: Construct,
    id: string,
    private readonly references: Readonly<Record<LocalImageName, string>>,
  ) {
    super(scope, id);
  }

  /** The image resource of a service; containers use its `image_id`. */
  public image(name: LocalImageName): Image {
    const existing = this.pulled.get(name);
    if (existing) return existing;
    const image = new Image(this, name, { name: this.references[name], keepLocally: true });
    this.pulled.set(name, image);
    return image;
  }
}
