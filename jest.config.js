// Nest 12 packages are ESM-only; Jest on Node 20 cannot load them natively, so @swc/jest
// transforms both our TypeScript and the ESM .js files of those packages into CommonJS.
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swcTransform },
  // The innermost node_modules decides, so a nested ESM-only package is transformed too
  // (content-disposition 1.x under @fastify/static, which the app loads on Fastify). jose (DPoP
  // proofs) and dpop (the tests' DPoP client) ship ESM only.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@electric-sql|content-disposition|jose|dpop)/)(?!.*/node_modules/)',
  ],
  moduleNameMapper: {
    '^@app/session$': '<rootDir>/libs/session/src',
    '^@app/session/(.*)$': '<rootDir>/libs/session/src/$1',
    '^@app/pglite$': '<rootDir>/libs/pglite/src',
  },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
module.exports = {
  // Global on purpose: Jest ignores testTimeout inside a project entry. E2E specs boot apps and
  // run migrations, which can exceed the 5 s default on the embedded database.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
