import { ENVIRONMENTS } from "../environments";
import { synthEnvironment } from "./support/synth";

// One snapshot per stack: any change to what Terraform would receive shows up in review.
// Intent is pinned separately by the property tests next to each construct.
describe.each(ENVIRONMENTS.map((source) => [source.config.name, source.config]))("%s stack", (_name, config) => {
  test("synthesizes as recorded", () => {
    expect(synthEnvironment(config).parsed).toMatchSnapshot();
  });
});
