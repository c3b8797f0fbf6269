#!/usr/bin/env node
// Builds dist/: the command and the server bundled into one ES module (the
// dependencies stay in node_modules), so that a start loads one file instead
// of compiling some three hundred TypeScript modules. `npm install` runs it
// (the `prepare` script); bin/cekrek.js uses the bundle only while it is
// newer than every source file, and compiles the sources itself otherwise, so
// an edit never runs stale code.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sourceStamp } from './source-stamp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = performance.now();

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile: join(dist, 'cekrek.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Read beside the module at run time (src/http/assets.ts).
cpSync(join(root, 'src', 'http', 'assets'), join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'stamp.json'), JSON.stringify(sourceStamp(root)));
console.log(`cekrek: built dist/ in ${Math.round(performance.now() - started)} ms`);
