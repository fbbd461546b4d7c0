/**
 * Unit specs sit beside the code; e2e suites under test/ boot the real app on a fresh database.
 * NestJS 12 ships as ES modules: SWC compiles them, like our TypeScript, to CommonJS for Jest.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs', ignoreDynamic: false },
  },
];
const esmPackages = ['@nestjs', 'file-type', 'mrz', 'strtok3', 'token-types', 'peek-readable', '@tokenizer', 'uint8array-extras', '@borewit', 'ansis', 'content-disposition'];
const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
};

const { availableParallelism } = require('node:os');

module.exports = {
  testTimeout: 90_000,
  // Every suite has a database of its own, and suites wait on the database and on timers as much as they compute:
  // two workers even on two cores (Jest's default would be one there).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      slowTestThreshold: 30,
      // Start-up (migrations, the job queue's schema) runs once per test run; each suite starts on a copy of its result.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
