import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
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
 * richmenu.png), uploads its image, makes it every user's default, and then deletes the menu
 * that was the default before and any other menu of the desk (same name) left by earlier
 * runs, so running it again replaces the menu instead of piling up new ones (LINE allows
 * 1,000 per channel). LINE validates the definition first, so a broken file fails before
 * anything is created or deleted. Returns the new id.
 */
export async function installRichMenu(target: RichMenuTarget, log: (line: string) => void = () => {}): Promise<string> {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: target.channelAccessToken, ...(target.baseURL ? { baseURL: target.baseURL } : {}) });
  const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: target.channelAccessToken, ...(target.dataBaseURL ? { baseURL: target.dataBaseURL } : {}) });
  const menu = JSON.parse(readFileSync(join(RICH_MENU_DIR, 'richmenu.json'), 'utf8')) as messagingApi.RichMenuRequest;
  await client.validateRichMenuObject(menu);
  const previousDefault = await defaultMenuId(client);
  const { richMenuId } = await client.createRichMenu(menu);
  log(`リッチメニューを作成しました: ${richMenuId}`);
  const image = new Blob([readFileSync(join(RICH_MENU_DIR, 'richmenu.png'))], { type: 'image/png' });
  await blob.setRichMenuImage(richMenuId, image);
  log('画像をアップロードしました');
  await client.setDefaultRichMenu(richMenuId);
  log('すべての利用者の既定のメニューにしました');
  // Only now that the new one is in place: users never see the chat without a menu.
  const { richmenus } = await client.getRichMenuList();
  const old = new Set(richmenus.filter((m) => m.name === menu.name).map((m) => m.richMenuId));
  if (previousDefault) old.add(previousDefault);
  old.delete(richMenuId);
  for (const id of old) {
    await client.deleteRichMenu(id);
    log(`以前のメニューを削除しました: ${id}`);
  }
  return richMenuId;
}

/** The current default menu's id; undefined when there is none (LINE answers 404). */
async function defaultMenuId(client: messagingApi.MessagingApiClient): Promise<string | undefined> {
  try {
    return (await client.getDefaultRichMenuId()).richMenuId;
  } catch (e) {
    if (e instanceof HTTPFetchError && e.status === 404) return undefined;
    throw e;
  }
}
