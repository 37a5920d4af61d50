import { pino } from 'pino';
import { readConfig } from './config.js';
import { startDesk } from './server.js';

/**
 * `npm start`: the desk on its embedded defaults, configured by environment variables.
 * Logs are JSON lines (pino); message text is never logged at info level.
 */
// Asynchronous writes: a log line must not cost a turn a syscall. Flushed on exit below.
const destination = pino.destination({ dest: 1, sync: false });
const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'sme-security-desk' } }, destination);

try {
  const config = readConfig();
  const desk = await startDesk(config, log);
  // One human-readable line for whoever just ran `npm start`.
  process.stderr.write(`\nセキュリティ相談窓口が起動しました: ${desk.url}/  (停止は Ctrl+C)\n`);
  process.stderr.write(`相談員コンソール: ${desk.url}/console\n`);
  if (!(await desk.advisers.any())) {
    process.stderr.write(
      '相談員のアカウントがまだありません。最初の管理者は次のコマンドで作成します（パスワードを聞かれます）:\n' +
        `  npm run adviser -- add --org ${config.ORGS_FILE ? '<相談窓口の id>' : 'default'} --email you@example.jp --name "氏名" --admin\n`,
    );
  }
  process.stderr.write('\n');
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void desk.close().then(() => {
      destination.flushSync();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  // Bad config or a broken knowledge file: say what and where, without a stack trace.
  log.fatal({ err: e }, 'start-up failed');
  destination.flushSync();
  process.stderr.write(`\n起動できませんでした: ${(e as Error).message}\n`);
  process.exit(1);
}
