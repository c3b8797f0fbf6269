#!/usr/bin/env node
// Builds dist/: the command, the server and their JavaScript dependencies
// bundled into one ES module, so that a start reads one file instead of
// resolving and compiling some thousand modules (Kysely alone has four
// hundred). `npm install` runs it (the `prepare` script); bin/cekrek.js uses
// the bundle only while it is newer than every source file, and compiles the
// sources itself otherwise, so an edit never runs stale code.
//
// Left in node_modules: native addons, and the libraries the sources load
// on first use (src/shared/lazy-require.ts) so that a process that never
// needs them never loads them.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceStamp } from './source-stamp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = performance.now();

/** Native addons (and pg's optional one): loaded from node_modules at run time. */
const native = ['better-sqlite3', 'sharp', '@node-rs/argon2', 'pg-native'];
/** Loaded on first use, by name, from node_modules (lazyRequire and import()). */
const onFirstUse = [
  'ioredis',
  'pg',
  'pg-copy-streams',
  'nodemailer',
  'qrcode',
  'otplib',
  'cli-progress',
  '@aws-sdk/client-s3',
  'pdf-lib',
];
/** pino starts its transports' workers from files of its own. */
const ownFiles = ['pino', 'thread-stream'];

/**
 * The OpenAPI plugin requires its YAML library at load, only to write YAML
 * nobody here asks for: the bundle gets a stand-in that loads it on first use.
 */
const yamlOnFirstUse = {
  name: 'yaml-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      args.namespace === 'yaml-on-first-use'
        ? { path: 'yaml', external: true }
        : { path: 'yaml', namespace: 'yaml-on-first-use' },
    );
    build.onLoad({ filter: /.*/, namespace: 'yaml-on-first-use' }, () => ({
      contents:
        "const name = 'yaml';\n" +
        'const load = () => require(name);\n' +
        'module.exports = {\n' +
        '  stringify: (...args) => load().stringify(...args),\n' +
        '  parse: (...args) => load().parse(...args),\n' +
        '};\n',
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile: join(dist, 'cekrek.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...native, ...onFirstUse, ...ownFiles],
  plugins: [yamlOnFirstUse],
  // Bundled CommonJS modules require Node's own modules.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
// Read beside the module at run time (src/http/assets.ts).
cpSync(join(root, 'src', 'http', 'assets'), join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'stamp.json'), JSON.stringify(sourceStamp(root)));
console.log(`cekrek: built dist/ in ${Math.round(performance.now() - started)} ms`);
