import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RICH_MENU_DIR, installRichMenu } from '../../adapters/line/richmenu.js';
import { ACCESS_TOKEN, LINE_API } from '../helpers/line.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('npm run line:richmenu', () => {
  it('validates the menu, creates it, uploads its image and sets it as the default', async () => {
    const seen: string[] = [];
    let menu: any;
    let image: Buffer | undefined;
    nock(LINE_API)
      .post('/v2/bot/richmenu/validate', (b) => ((menu = b), true))
      .reply(200, {})
      .get('/v2/bot/user/all/richmenu')
      .reply(404, { message: 'no default richmenu' })
      .post('/v2/bot/richmenu')
      .reply(200, { richMenuId: 'richmenu-0123456789abcdef' })
      .post('/v2/bot/user/all/richmenu/richmenu-0123456789abcdef')
      .reply(200, {})
      .get('/v2/bot/richmenu/list')
      .reply(200, { richmenus: [{ richMenuId: 'richmenu-0123456789abcdef', name: 'セキュリティ相談窓口メニュー' }] });
    nock('https://api-data.line.me')
      .post('/v2/bot/richmenu/richmenu-0123456789abcdef/content', (b) => ((image = typeof b === 'string' ? Buffer.from(b, 'hex') : Buffer.from(JSON.stringify(b))), true))
      .matchHeader('content-type', 'image/png')
      .reply(200, {});
    const id = await installRichMenu({ channelAccessToken: ACCESS_TOKEN }, (l) => seen.push(l));
    expect(id).toBe('richmenu-0123456789abcdef');
    expect(nock.isDone()).toBe(true);
    expect(menu.size).toEqual({ width: 2500, height: 843 });
    expect(menu.areas.map((a: any) => a.action.data)).toEqual(['menu:consult', 'menu:diagnosis', 'menu:otasuketai', 'cmd:handoff']);
    expect(menu.areas.map((a: any) => a.action.label)).toEqual(['相談する', '自社診断', 'お助け隊', '担当者と話す']);
    // The four areas cover the image side by side.
    expect(menu.areas.reduce((w: number, a: any) => w + a.bounds.width, 0)).toBe(2500);
    expect(seen).toHaveLength(3); // nothing to delete the first time
    expect(image!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // the PNG signature
  });

  it('run again, replaces the previous default menu and the desk\'s older menus instead of piling them up', async () => {
    const menuName = JSON.parse(readFileSync(join(RICH_MENU_DIR, 'richmenu.json'), 'utf8')).name;
    const deleted: string[] = [];
    nock(LINE_API)
      .post('/v2/bot/richmenu/validate')
      .reply(200, {})
      .get('/v2/bot/user/all/richmenu')
      .reply(200, { richMenuId: 'richmenu-old-default' })
      .post('/v2/bot/richmenu')
      .reply(200, { richMenuId: 'richmenu-new' })
      .post('/v2/bot/user/all/richmenu/richmenu-new')
      .reply(200, {})
      .get('/v2/bot/richmenu/list')
      .reply(200, {
        richmenus: [
          { richMenuId: 'richmenu-old-default', name: menuName },
          { richMenuId: 'richmenu-older', name: menuName },
          { richMenuId: 'richmenu-campaign', name: '別のキャンペーン' },
          { richMenuId: 'richmenu-new', name: menuName },
        ],
      })
      .delete(/\/v2\/bot\/richmenu\/.+/)
      .times(2)
      .reply(function (path) {
        deleted.push(path.split('/').at(-1)!);
        return [200, {}];
      });
    nock('https://api-data.line.me').post('/v2/bot/richmenu/richmenu-new/content').reply(200, {});
    expect(await installRichMenu({ channelAccessToken: ACCESS_TOKEN })).toBe('richmenu-new');
    expect(deleted.sort()).toEqual(['richmenu-old-default', 'richmenu-older']);
    expect(nock.isDone()).toBe(true);
  });

  it('stops before creating anything when LINE rejects the definition', async () => {
    nock(LINE_API).post('/v2/bot/richmenu/validate').reply(400, { message: 'The request body has 1 error(s)' });
    await expect(installRichMenu({ channelAccessToken: ACCESS_TOKEN })).rejects.toMatchObject({ status: 400 });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
