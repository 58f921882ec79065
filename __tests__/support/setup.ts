import { Testing } from "cdktf";
// Declares the matchers' types for `tsc`.
import "cdktf/lib/testing/adapters/jest";

// cdktf records a full stack trace for every token it creates, only to decorate token
// resolution errors. Inside jest one capture costs about ten times what it costs in node
// (0.7 ms against 0.09 ms), and a stack creates thousands: tests skip the decoration.
jest.mock("cdktf/lib/tokens/private/stack-trace", () => ({ captureStackTrace: (): string[] => [] }));

// Adds cdktf's matchers (toHaveResourceWithProperties, toHaveProviderWithProperties, …).
Testing.setupJest();
