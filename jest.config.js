/** Jest: @swc/jest for TypeScript (decorator metadata included) and for the ESM-only Auth.js packages. */
const swc = (syntax) => [
  "@swc/jest",
  {
    jsc: {
      parser: syntax === "typescript" ? { syntax, decorators: true } : { syntax },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: "es2022",
    },
    module: { type: "commonjs" },
  },
];

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/plugins", "<rootDir>/examples"],
  testMatch: ["**/*.test.ts"],
  // The Next.js example has its own dependencies (node_modules, .next): npm run test:browser covers it.
  modulePathIgnorePatterns: ["<rootDir>/examples/nextjs/"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/examples/nextjs/"],
  transform: {
    "^.+\\.tsx?$": swc("typescript"),
    "^.+\\.m?js$": swc("ecmascript"),
  },
  // ESM-only packages that must be transformed to run under jest's CommonJS runtime.
  transformIgnorePatterns: ["/node_modules/(?!(@auth/core|@auth/pg-adapter|@auth/drizzle-adapter|@auth/prisma-adapter|@auth/mikro-orm-adapter|jose|oauth4webapi|@panva/hkdf|preact|preact-render-to-string)/)"],
  // Its "exports" offers only "import", which jest's CommonJS resolver does not ask for.
  moduleNameMapper: {
    "^@auth/pg-adapter$": "<rootDir>/node_modules/@auth/pg-adapter/index.js",
    "^@auth/drizzle-adapter$": "<rootDir>/node_modules/@auth/drizzle-adapter/index.js",
    "^@auth/prisma-adapter$": "<rootDir>/node_modules/@auth/prisma-adapter/index.js",
  },
  testTimeout: 30000,
  // Locally a leaked handle shows as "Jest did not exit"; in CI it must not hang the run for 90 minutes.
  forceExit: process.env.CI === "true",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
