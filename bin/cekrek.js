#!/usr/bin/env node
// The `cekrek` command. It runs the bundle in dist/ (built by `npm install`)
// while that is up to date with the sources, and otherwise the TypeScript
// sources through tsx, so it always runs the code in this checkout.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sourceStamp } from './source-stamp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function builtAndCurrent() {
  try {
    const built = JSON.parse(readFileSync(join(root, 'dist', 'stamp.json'), 'utf8'));
    const now = sourceStamp(root);
    return built.files === now.files && built.newest === now.newest;
  } catch {
    return false;
  }
}

async function load() {
  if (builtAndCurrent()) {
    return import(pathToFileURL(join(root, 'dist', 'cekrek.mjs')).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli.ts');
}

const { main } = await load();
await main(process.argv);
