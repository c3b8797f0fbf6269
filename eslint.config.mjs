import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// The layers of src/ (docs/ARCHITECTURE.md): the web kit (http/) and shared/
// and db/ know no feature; the staff kit (backoffice/) knows operators only
// through their service; server/ and main.ts assemble; a feature
// uses another only through its service (and, from its HTTP files, another
// feature's *.http.ts surface).
const features = [
  'accounts',
  'audit',
  'challenge',
  'files',
  'jobs',
  'mail',
  'normalizations',
  'operators',
  'partners',
  'registrations',
  'reports',
  'review',
  'site',
  'tickets',
  'watches',
];
const assembly = ['**/server/**', '**/main.ts', '**/cli.ts'];
const httpFiles = [
  'src/**/*.routes.ts',
  'src/**/*.pages.tsx',
  'src/**/*.views.ts',
  'src/**/*.views.tsx',
  'src/**/*.form.ts',
  'src/**/*.form.tsx',
  'src/**/*.http.ts',
  'src/http/**',
  'src/backoffice/**',
  'src/server/**',
];
const noFastify = {
  group: ['fastify', 'fastify-*', '@fastify/*'],
  message:
    'Only HTTP files (routes, pages, views, forms, *.http.ts, the kits, server/) use Fastify.',
};
const noDatabaseInHttp = [
  { group: ['kysely'], message: 'HTTP files ask services; the SQL is in repositories.' },
  { group: ['**/*.repository.ts'], message: 'HTTP files ask services, not repositories.' },
];
const noAssembly = { group: assembly, message: 'Only main.ts and server/ assemble the features.' };
const noFeature = (except = []) => ({
  group: features.filter((f) => !except.includes(f)).map((f) => `**/${f}/**`),
  message: 'The kits, shared/ and db/ know no feature.',
});
/** Another feature, except through its service (and, for HTTP files, its *.http.ts). */
const otherFeatureBeyondService = (feature, http) => ({
  group: features
    .filter((f) => f !== feature)
    .flatMap((f) => [
      `../${f}/*`,
      `!../${f}/*.service.ts`,
      ...(http ? [`!../${f}/*.http.ts`] : []),
    ]),
  message: 'A feature uses another feature only through its service.',
});
const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'coverage', '.bench', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Message catalogues and the stylesheet are long by nature; code is not.
      'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }],
    },
  },
  { files: ['src/shared/messages*.ts'], rules: { 'max-lines': 'off' } },

  // Boundaries, by path. Each file gets one list (a later block would replace an
  // earlier one, not add to it), so every group below is disjoint.
  restrict(
    ['src/http/**', 'src/shared/**', 'src/db/**'],
    [noFeature(), noAssembly, .../* kit may use Fastify */ []],
  ),
  restrict(
    ['src/shared/**', 'src/db/**'],
    [
      noFeature(),
      noAssembly,
      noFastify,
      { group: ['**/http/**', '**/backoffice/**'], message: 'shared/ and db/ know no HTTP.' },
    ],
  ),
  restrict(
    ['src/backoffice/**'],
    [
      {
        ...otherFeatureBeyondService('operators', false),
        message: 'The staff kit uses features only through their services.',
      },
      noAssembly,
      ...noDatabaseInHttp,
    ],
  ),
  ...features.flatMap((feature) => [
    // The feature's HTTP files.
    restrict(
      httpFiles
        .filter((p) => p.startsWith('src/**/'))
        .map((p) => p.replace('src/**/', `src/${feature}/**/`)),
      [otherFeatureBeyondService(feature, true), noAssembly, ...noDatabaseInHttp],
    ),
    // The rest of the feature: services, repositories, domain.
    restrict(
      [`src/${feature}/**`],
      [
        otherFeatureBeyondService(feature, false),
        noAssembly,
        noFastify,
        { group: ['**/http/**', '**/backoffice/**'], message: 'Services know no HTTP.' },
      ],
      httpFiles
        .filter((p) => p.startsWith('src/**/'))
        .map((p) => p.replace('src/**/', `src/${feature}/**/`)),
    ),
  ]),
  // Tests may reach any module they test.
  { files: ['src/**/*.test.ts', 'src/**/*.test.tsx'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/config.ts', 'test/**', 'bench/**', '.ci/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
