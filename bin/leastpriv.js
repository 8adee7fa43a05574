#!/usr/bin/env node
// The compiled CLI (npm run build, which `npm ci` runs through the prepare script): the bundle of
// dist/ when the build made one (it starts ~60 ms sooner), else the module tree itself.
import { existsSync } from 'node:fs';
import { tuneV8ForBatchRun } from './v8-tuning.js';

tuneV8ForBatchRun();
const bundle = new URL('../dist/bundle/bin.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/cli/bin.js');
