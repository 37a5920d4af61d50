import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../bot/logger.js';
import { readConfig } from '../../adapters/config.js';
import { startDesk, type RunningDesk } from '../../adapters/server.js';
import { WebClient } from './web-client.js';

export interface TestDesk extends RunningDesk {
  dataDir: string;
  client: WebClient;
  /** Closes the desk and deletes its data dir. */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'desk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The whole desk on an ephemeral loopback port with a fresh data dir (or the given one); logs go to `log` (silent by default). */
export async function startTestDesk(env: Record<string, string> = {}, log: Logger = silentLogger): Promise<TestDesk> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const running = await startDesk(config, log);
  return {
    ...running,
    dataDir,
    client: new WebClient(running.url),
    async stop() {
      await running.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
