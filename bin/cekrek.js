#!/usr/bin/env node
// The `cekrek` command. TypeScript sources are loaded through tsx so that the
// command always runs the code in this checkout, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv);
