import { Testing } from "cdktf";
// Declares the matchers' types for `tsc`.
import "cdktf/lib/testing/adapters/jest";

// Adds cdktf's matchers (toHaveResourceWithProperties, toHaveProviderWithProperties, …).
Testing.setupJest();
