import { fileURLToPath } from "node:url";

/** @type {import("next").NextConfig} */
const nextConfig = {
  // The kit, its ORM, drivers and plugins' peers run from node_modules as Node loads them: bundling
  // MikroORM (dynamic driver requires), pg, ioredis, pino or prom-client breaks them or bloats the build.
  serverExternalPackages: [
    "nextauth-adapter-kit",
    "@mikro-orm/core",
    "@mikro-orm/knex",
    "@mikro-orm/postgresql",
    "@mikro-orm/migrations",
    "pg",
    "ioredis",
    "pino",
    "prom-client",
    "@opentelemetry/api",
  ],
  // The kit comes from the repository root (file:../..): let Turbopack see that tree.
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
