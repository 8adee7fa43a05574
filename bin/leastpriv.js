#!/usr/bin/env node
// The compiled CLI (npm run build, which `npm ci` runs through the prepare script).
import '../dist/cli/bin.js';
