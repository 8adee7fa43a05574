import { describe, expect, it } from 'vitest';
import type { CliIO } from '../io.js';
import { whoCanCommand } from './who-can.js';

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      readFile: async () => '',
      writeFile: async () => {},
      color: false,
    },
    out: () => out,
    err: () => err,
  };
}

describe('leastpriv who-can --timings', () => {
  it.each([
    {
      escalation: true,
      phases: ['load the snapshot', 'direct grants', 'privilege escalation', 'render json'],
    },
    { escalation: false, phases: ['load the snapshot', 'direct grants', 'render json'] },
  ])(
    'lists the phases that ran in order on stderr (escalation $escalation), stdout unchanged',
    async ({ escalation, phases }) => {
      const plain = capture();
      const timed = capture();
      const options = { snapshot: ACME, format: 'json', escalation };
      await whoCanCommand(['iam:PassRole'], options, plain.io);
      await whoCanCommand(['iam:PassRole'], { ...options, timings: true }, timed.io);
      expect(timed.out()).toBe(plain.out());
      expect(plain.err()).toBe('');
      const lines = timed.err().trimEnd().split('\n');
      expect(lines[0]).toMatch(/^leastpriv who-can: timings \(\d+ ms in all\)$/);
      expect(lines.slice(1).map((l) => l.replace(/^ +\d+ ms {2}/, ''))).toEqual(phases);
    },
  );
});
