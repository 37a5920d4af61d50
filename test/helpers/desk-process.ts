import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../bot/project-root.js';

export interface DeskProcess {
  child: ChildProcess;
  url: string;
  /** Lines the process logged (JSON), for assertions. */
  logs: string[];
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** What the process wrote for people (start-up lines), so far. */
  stderr(): string;
}

/**
 * The desk as its own process, started the way `npm start` starts it (through tsx, so the
 * test needs no build). Resolves once it logs that it listens.
 */
export function spawnDesk(env: Record<string, string>): Promise<DeskProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`desk did not start: ${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'listening') {
          clearTimeout(timer);
          resolve({ child, url: `http://127.0.0.1:${entry.port}`, logs, exited, stderr: () => stderr });
        }
      } catch {
        /* not a log line */
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`desk exited with ${code} before listening: ${stderr}`));
    });
  });
}
