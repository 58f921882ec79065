import { ENVIRONMENTS } from "../../environments";
import { allStackNames, ciStackNames } from "../../stacks/stack-names";

describe("stack names", () => {
  test("CI plans the environments with shared state; the laptop's stack is not one of them", () => {
    expect(ciStackNames(ENVIRONMENTS)).toEqual(["dev", "staging", "production"]);
  });

  test("every environment is a stack, in promotion order", () => {
    expect(allStackNames(ENVIRONMENTS)).toEqual(["local", "dev", "staging", "production"]);
  });

  test("an environment switched to local state leaves CI's list", () => {
    const [local, dev, ...rest] = ENVIRONMENTS;
    const devLocal = { ...dev, config: { ...dev.config, state: { backend: "local" as const } } };
    expect(ciStackNames([local, devLocal, ...rest])).toEqual(["staging", "production"]);
  });
});
