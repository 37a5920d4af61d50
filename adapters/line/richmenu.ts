import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messagingApi } from '@line/bot-sdk';
import { projectRoot } from '../../bot/project-root.js';

export const RICH_MENU_DIR = join(projectRoot, 'adapters', 'line', 'richmenu');

export interface RichMenuTarget {
  channelAccessToken: string;
  /** LINE_API_BASE_URL / LINE_DATA_API_BASE_URL, for a simulator or tests. */
  baseURL?: string;
  dataBaseURL?: string;
}

/**
 * Creates the desk's rich menu (相談する / 自社診断 / お助け隊 / 担当者と話す; richmenu.json and
 * richmenu.png), uploads its image and makes it every user's default. LINE validates the
 * definition first, so a broken file fails before anything is created. Returns the new id.
 */
export async function installRichMenu(target: RichMenuTarget, log: (line: string) => void = () => {}): Promise<string> {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: target.channelAccessToken, ...(target.baseURL ? { baseURL: target.baseURL } : {}) });
  const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: target.channelAccessToken, ...(target.dataBaseURL ? { baseURL: target.dataBaseURL } : {}) });
  const menu = JSON.parse(readFileSync(join(RICH_MENU_DIR, 'richmenu.json'), 'utf8')) as messagingApi.RichMenuRequest;
  await client.validateRichMenuObject(menu);
  const { richMenuId } = await client.createRichMenu(menu);
  log(`リッチメニューを作成しました: ${richMenuId}`);
  const image = new Blob([readFileSync(join(RICH_MENU_DIR, 'richmenu.png'))], { type: 'image/png' });
  await blob.setRichMenuImage(richMenuId, image);
  log('画像をアップロードしました');
  await client.setDefaultRichMenu(richMenuId);
  log('すべての利用者の既定のメニューにしました');
  return richMenuId;
}
