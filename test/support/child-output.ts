/**
 * A child process's exit code and everything it printed. `onTimeout` runs when it has not exited
 * within `timeoutMs` (kill it there); `onStdout` sees the output so far after each chunk.
 */
import type { ChildProcess } from 'node:child_process';

export interface ChildOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function childOutput(
  child: ChildProcess,
  opts: { timeoutMs: number; onTimeout: () => void; onStdout?: (soFar: string) => void },
): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(opts.onTimeout, opts.timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout);
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
