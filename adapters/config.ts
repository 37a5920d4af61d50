import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration from environment variables. Every variable is optional: without any, the desk
 * starts on its embedded defaults (SQLite in ./data, one always-open org, port 3978).
 * The README lists them; keep the two in step.
 */
const intFrom = (dflt: number, min: number, max: number) =>
  z.preprocess((v) => (v === undefined || v === '' ? dflt : Number(v)), z.number().int().min(min).max(max));

const schema = z.object({
  PORT: intFrom(3978, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ORGS_FILE: z.string().optional(),
  /** The desk's public address (https://desk.example.jp) when behind a proxy; used for same-origin checks. */
  PUBLIC_URL: z.url().optional(),
  /** Set to the number of proxies in front (1 behind one nginx) so client IPs are read from X-Forwarded-For. */
  TRUST_PROXY: intFrom(0, 0, 10),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Messages one web session may send per minute (burst allowed up to the same number). */
  // 60: someone tapping through the 25-item diagnosis answers about once a second.
  RATE_LIMIT_SESSION_PER_MIN: intFrom(60, 1, 1_000_000),
  /** Requests one IP address may make to the web API per minute. */
  RATE_LIMIT_IP_PER_MIN: intFrom(600, 1, 10_000_000),
  /** New web sessions one IP address may open per minute. */
  RATE_LIMIT_NEW_SESSIONS_PER_MIN: intFrom(20, 1, 1_000_000),
  /** The LINE channel is on when its secret is set (see docs/line.md). */
  LINE_CHANNEL_SECRET: z.string().min(1).optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Stand-ins for LINE's hosts (tests, `npm run line:sim`). */
  LINE_API_BASE_URL: z.url().optional(),
  LINE_DATA_API_BASE_URL: z.url().optional(),
  /** The org (chamber) whose desk the LINE account is. */
  LINE_ORG: z.string().default('default'),
  /** A turn still running after this long shows LINE's loading animation. */
  LINE_LOADING_AFTER_MS: intFrom(500, 0, 60_000),
  /** A LINE event whose turn fails is tried again after this long, then after doubling delays (7 tries, then parked). */
  LINE_RETRY_FIRST_MS: intFrom(1000, 1, 600_000),
});

export type Config = z.infer<typeof schema> & { dataDir: string };

/** Reads the config; throws an Error naming the bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = schema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`環境変数 ${issue.path.join('.')} が正しくありません: ${issue.message}`);
  }
  if (r.data.LINE_CHANNEL_SECRET && !r.data.LINE_CHANNEL_ACCESS_TOKEN) {
    throw new Error('環境変数 LINE_CHANNEL_ACCESS_TOKEN が必要です（LINE_CHANNEL_SECRET を設定すると LINE チャネルが有効になります）。');
  }
  return { ...r.data, dataDir: resolve(r.data.DATA_DIR) };
}
