import type { Turn } from '../bot/turn.js';
import type { Choice } from '../bot/types.js';
import { pickChoice } from './choices.js';
import { COMMAND_CHOICES } from './commands.js';
import type { Dialog } from './dialog.js';

/** The four doors of the desk. Their values are global actions: an old menu button still works. */
export const MENU_CHOICES: Choice[] = [
  { label: '相談する', value: 'menu:consult' },
  { label: '自社診断', value: 'menu:diagnosis' },
  { label: 'お助け隊サービス', value: 'menu:otasuketai' },
  { label: '担当者と話す', value: COMMAND_CHOICES.handoff.value },
];

const MENU_SYNONYMS: Record<string, string[]> = {
  'menu:consult': ['相談', '相談したい', '質問', '質問したい', '困っている'],
  'menu:diagnosis': ['診断', '診断したい', '自社診断したい', 'セルフチェック'],
  'menu:otasuketai': ['お助け隊', 'おたすけ隊'],
};

export function greeting(turn: Turn): string {
  return [
    `こんにちは。${turn.org.name}です。`,
    'ウイルス感染、不審なメール、偽の警告画面、不正アクセス、情報漏えいなど、会社の情報セキュリティのご相談を受け付けています。',
    '困っていることを、そのまま文章で書いていただいても大丈夫です。',
    '',
    'いま被害が起きている（ファイルが暗号化された、お金を振り込んでしまった など）ときは、その状況をすぐに書いてください。',
  ].join('\n');
}

/**
 * The welcome menu: one step, four choices. Choosing runs the same global action a menu
 * button pressed later would run, with what was typed (the question it may carry); typing a
 * question instead ends the menu and is answered.
 */
export function welcomeDialog(runAction: (value: string, turn: Turn, said?: string) => void): Dialog<{ greet: boolean }> {
  return {
    id: 'welcome',
    title: 'メニュー',
    resumable: false,
    begin: (_turn, args) => ({ step: 'choose', state: { greet: Boolean(args.greet) } }),
    steps: {
      choose: {
        ask: (state, turn) => ({
          text: state.greet ? greeting(turn) : 'メニューです。ご用件を選んでください。文章で質問していただいても大丈夫です。',
          choices: MENU_CHOICES,
        }),
        answer(input, _state, turn) {
          const choice = pickChoice(input, MENU_CHOICES, MENU_SYNONYMS);
          if (!choice) return undefined;
          // A typed 「お助け隊は月いくら？」 picks the お助け隊 door and still asks for the price.
          runAction(choice.value, turn, input.type === 'text' ? input.text : undefined);
          return { end: true };
        },
      },
    },
  };
}
