// Lint: typescript-eslint's recommended rules, promises that are awaited or handled,
// and imports that run one way (no circle, and no layer importing a layer above it).
import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import noImportCycle from "./eslint-rules/no-import-cycle.mjs";

/** The layers, bottom first: each may import the ones before it, never one after it. */
const LAYERS = ["core", "constructs", "environments", "policies", "stacks", "tools"];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/", ".bench/", ".cache/", "charts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX, platform: { rules: { "no-import-cycle": noImportCycle } } },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      // Without these the plugin reads only .js files, and no-restricted-paths sees no TypeScript module's imports.
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })],
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // Every circle, type-only imports included (eslint-rules/no-import-cycle.mjs).
      "platform/no-import-cycle": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: LAYERS.slice(0, -1).map((layer, index) => ({
            target: `./${layer}`,
            from: [...LAYERS.slice(index + 1).map((above) => `./${above}`), "./main.ts"],
            message: `${layer}/ sits below ${LAYERS.slice(index + 1).join(", ")} and main.ts: move the shared part down, or pass it in.`,
          })),
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests navigate synthesized JSON and chart values, whose shape is what they assert.
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        module: "writable",
        exports: "writable",
        require: "readonly",
        __dirname: "readonly",
      },
    },
  },
);
