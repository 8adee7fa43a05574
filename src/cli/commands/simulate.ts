import { formatInputError } from '../../model/errors.js';
import type { EvaluationResult } from '../../model/explanation.js';
import { type CompiledPolicySet, compilePolicySet, explain } from '../../policy/evaluate/index.js';
import { renderExplanationText } from '../../policy/evaluate/render-text.js';
import { parseSimulationFile } from '../../policy/simulation/request-file.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';

export interface SimulateOptions {
  readonly request?: string;
  readonly format?: string;
  readonly output?: string;
}

/**
 * `leastpriv simulate --request FILE`: the decision for each request with its explanation.
 * JSON output is one object per request in input order (JSON lines when there is more than one);
 * a request that cannot be read yields `{"index", "error"}` in its place and exit code 2.
 */
export async function simulateCommand(options: SimulateOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not "${format}"`);
  if (!options.request)
    throw new UsageError(
      '--request FILE is required (a request object, an array of them, or JSON lines; - for standard input)',
    );
  const file = options.request;
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    io.stderr(`leastpriv simulate: ${file}: ${reason}\n`);
    return EXIT_USAGE;
  }

  const inputs = parseSimulationFile(text, file);
  let failed = 0;
  const out: string[] = [];
  // Requests in one file usually share their policy sets: compile each set once.
  const compiledSets = new Map<object, CompiledPolicySet>();
  for (const input of inputs) {
    if (!input.ok) {
      failed++;
      const message = formatInputError(input.error);
      io.stderr(`leastpriv simulate: ${message}\n`);
      out.push(
        format === 'json'
          ? JSON.stringify({ index: input.index, error: message })
          : `request ${input.index + 1}: error: ${message}\n`,
      );
      continue;
    }
    const { request, policies, managementAccount } = input.value;
    const setKey = managementAccount ? undefined : policies;
    let compiled = setKey ? compiledSets.get(setKey) : undefined;
    if (!compiled) {
      compiled = compilePolicySet(policies, managementAccount ? { managementAccount } : {});
      if (setKey) compiledSets.set(setKey, compiled);
    }
    const result: EvaluationResult = explain(compiled, request);
    if (format === 'json') {
      const value = { decision: result.decision, explanation: result.explanation };
      out.push(inputs.length === 1 ? JSON.stringify(value, null, 2) : JSON.stringify(value));
    } else {
      const title = inputs.length > 1 ? `request ${input.value.index + 1}: ` : '';
      out.push(
        `${title}${request.principal} → ${request.action} on ${request.resource}\n${renderExplanationText(result)}`,
      );
    }
  }
  let rendered: string;
  if (format === 'json') {
    rendered = `${out.join('\n')}\n`;
  } else {
    rendered = out.join('\n');
  }
  if (options.output) await io.writeFile(options.output, rendered);
  else io.stdout(rendered);
  return failed > 0 ? EXIT_USAGE : EXIT_OK;
}
