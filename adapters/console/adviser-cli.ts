import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadOrgs } from '../../bot/orgs.js';
import { readConfig } from '../config.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import { AdviserExistsError, Advisers } from './advisers.js';
import { passwordProblem } from './passwords.js';

/**
 * `npm run adviser -- add --org <org> --email <email> --name <name> [--admin]`: creates a console
 * account; the password is read from standard input (typed without echo on a terminal, or piped).
 * `npm run adviser -- list [--org <org>]`: lists the accounts.
 * Works on the desk's data dir (DATA_DIR) while the desk runs.
 */
const USAGE = `使い方:
  npm run adviser -- add --org <相談窓口の id> --email <メールアドレス> --name <表示名> [--admin]
  npm run adviser -- list [--org <相談窓口の id>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return readHidden('パスワード（10文字以上）: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const line = await new Promise<string>((resolve) => {
    let got = false;
    rl.once('line', (l) => ((got = true), resolve(l)));
    rl.once('close', () => !got && resolve(''));
  });
  rl.close();
  return line.replace(/\r$/, '');
}

/** Reads a line on a terminal without showing what is typed. */
function readHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') process.exit(130); // Ctrl+C
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { org: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false } },
});
const command = positionals[0];
const config = readConfig();
const orgs = loadOrgs(config.ORGS_FILE);
const store = new SqliteStore({ dataDir: config.dataDir });
const advisers = new Advisers(store);
try {
  if (command === 'add') {
    if (!values.org || !values.email || !values.name) fail(USAGE);
    if (!orgs.get(values.org)) fail(`相談窓口 "${values.org}" はありません（${orgs.orgs.map((o) => o.id).join(', ')}）。`);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fail('メールアドレスの形が正しくありません。');
    const password = await readPassword();
    const problem = passwordProblem(password);
    if (problem) fail(problem);
    const a = await advisers.add({ org: values.org, email: values.email, name: values.name, role: values.admin ? 'admin' : 'adviser', password });
    process.stdout.write(`作成しました: ${a.name} <${a.email}>（${a.role === 'admin' ? '管理者' : '相談員'}、${a.org}）\n`);
  } else if (command === 'list') {
    const list = values.org ? await advisers.listOrg(values.org) : (await store.documents<{ org: string; email: string; name: string; role: string }>('advisers').list(10_000)).map((r) => r.doc);
    for (const a of list) process.stdout.write(`${a.org}\t${a.email}\t${a.name}\t${a.role}\n`);
  } else {
    fail(USAGE);
  }
} catch (e) {
  if (e instanceof AdviserExistsError) fail(e.message);
  throw e;
} finally {
  await store.close();
}
