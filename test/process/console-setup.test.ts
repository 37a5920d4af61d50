import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../bot/project-root.js';
import { spawnDesk } from '../helpers/desk-process.js';
import { tempDir } from '../helpers/test-desk.js';

const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function adviserCli(args: string[], input: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'adapters/console/adviser-cli.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    input,
    encoding: 'utf8',
  });
}

describe('first start and the adviser command', () => {
  it('prints the console URL and how to create the first admin until an account exists', async () => {
    const first = await spawnDesk({ DATA_DIR: dataDir });
    await expect.poll(() => first.stderr(), { timeout: 5000 }).toContain('相談員コンソール: ');
    expect(first.stderr()).toContain(`${first.url.replace('127.0.0.1', '127.0.0.1')}/console`);
    expect(first.stderr()).toContain('npm run adviser -- add --org default --email you@example.jp --name "氏名" --admin');
    first.child.kill('SIGTERM');
    await first.exited;

    const short = adviserCli(['add', '--org', 'default', '--email', 'a@example.jp', '--name', '管理者'], 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('パスワードは 10 文字以上にしてください。');
    const unknownOrg = adviserCli(['add', '--org', 'nowhere', '--email', 'a@example.jp', '--name', '管理者'], 'correct horse battery\n');
    expect(unknownOrg.stderr).toContain('相談窓口 "nowhere" はありません');
    const ok = adviserCli(['add', '--org', 'default', '--email', 'a@example.jp', '--name', '管理者', '--admin'], 'correct horse battery\n');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('作成しました: 管理者 <a@example.jp>（管理者、default）');

    const second = await spawnDesk({ DATA_DIR: dataDir });
    await expect.poll(() => second.stderr(), { timeout: 5000 }).toContain('相談員コンソール: ');
    expect(second.stderr()).not.toContain('npm run adviser');
    const login = await fetch(`${second.url}/api/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.jp', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 60_000);
});
