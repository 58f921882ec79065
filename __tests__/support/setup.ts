// Declares the matchers' types for `tsc`; nothing is loaded at run time.
import type {} from "cdktf/lib/testing/adapters/jest";

// cdktf records a full stack trace for every token it creates, only to decorate token
// resolution errors. Inside jest one capture costs about ten times what it costs in node
// (0.7 ms against 0.09 ms), and a stack creates thousands: tests skip the decoration.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: (): string[] => [] }));

/** cdktf's matchers (toHaveResourceWithProperties, toHaveProviderWithProperties, …), as Testing.setupJest() adds them. */
const CDKTF_MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
] as const;

type Matcher = (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult;
let cdktfMatchers: Record<string, Matcher> | undefined;

/**
 * cdktf's own matchers, loaded on first use: a test file that never uses one does not load
 * cdktf for them (about a fifth of the suite's files need no cdktf at all).
 */
function loadCdktfMatchers(): Record<string, Matcher> {
  if (cdktfMatchers !== undefined) return cdktfMatchers;
  const captured: Record<string, Matcher> = {};
  const holder = globalThis as unknown as { expect: jest.Expect };
  const realExpect = holder.expect;
  // Testing.setupJest() registers through the global expect.extend; its matchers use the real expect when called.
  holder.expect = Object.assign(Object.create(realExpect) as jest.Expect, {
    extend: (matchers: Record<string, Matcher>) => Object.assign(captured, matchers),
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("cdktf") as typeof import("cdktf")).Testing.setupJest();
  } finally {
    holder.expect = realExpect;
  }
  const missing = CDKTF_MATCHERS.filter((name) => captured[name] === undefined);
  const extra = Object.keys(captured).filter((name) => !(CDKTF_MATCHERS as readonly string[]).includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `cdktf's jest matchers changed (missing ${missing.join(", ") || "none"}, new ${extra.join(", ") || "none"}): update CDKTF_MATCHERS`,
    );
  }
  cdktfMatchers = captured;
  return captured;
}

expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return loadCdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
