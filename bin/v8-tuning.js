// V8 tuning for leastpriv's runs, set before any of its code is loaded (the flag is read whenever a
// function's tier-up budget is set, so it applies to everything compiled afterwards, worker threads
// included: V8 flags are per process).
//
// A leastpriv command is a batch of seconds, not a long-lived server. With V8's default tier-up
// budget (--interrupt-budget=67584 in Node 20's V8 11.3) TurboFan optimizes hundreds of functions
// within the first second on a background thread, much of it for code that runs a few more times
// or deoptimizes; on a 2-core machine that compilation competes with the work itself. Eight times
// the budget lets functions warm up longer before they are optimized. Measured (same machine,
// interleaved, fresh processes, outputs byte-identical; a JIT policy cannot change results):
// medium audit 2.03 -> 1.62 s wall and 3.2 -> 2.0 s CPU; example organization 1.19 -> 1.04 s;
// who-can on the large organization 2.03 -> 1.91 s; the large audit and the CloudTrail ingest
// unchanged within noise. A budget given on node's command line wins
// (`node --interrupt-budget=N bin/leastpriv.js …`; NODE_OPTIONS does not accept V8 flags like it).
import { setFlagsFromString } from 'node:v8';

export const INTERRUPT_BUDGET = 524_288;

export function tuneV8ForBatchRun() {
  if (!process.execArgv.some((a) => a.startsWith('--interrupt-budget')))
    setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
