import type { UserInput } from '../bot/turn.js';
import type { Choice } from '../bot/types.js';
import { compact } from '../knowledge/normalize.js';

/**
 * Global commands: they work anywhere, inside any dialog. Typed commands must be the whole
 * message (give or take politeness): "担当者と話したい" asks for a person, but
 * "担当者から変なメールが来た" is a question, not a command.
 */
export type Command = 'menu' | 'cancel' | 'handoff' | 'resume';

export const COMMAND_CHOICES: Record<Command, Choice> = {
  menu: { label: 'メニュー', value: 'cmd:menu' },
  cancel: { label: 'やめる', value: 'cmd:cancel' },
  handoff: { label: '担当者と話す', value: 'cmd:handoff' },
  resume: { label: '続ける', value: 'cmd:resume' },
};

export const RESUME_CHOICES: Choice[] = [COMMAND_CHOICES.resume, COMMAND_CHOICES.cancel];

/** Every way of writing a command we accept, built from heads × tails, in compact form. */
function phrases(heads: string[], tails: string[]): Set<string> {
  const out = new Set<string>();
  for (const h of heads) for (const t of tails) out.add(compact(h + t));
  return out;
}

const POLITE = ['', 'です', 'ください', 'してください', 'お願いします', 'をお願いします', 'して'];

const TYPED: Record<Command, Set<string>> = {
  menu: phrases(
    ['メニュー', 'めにゅー', 'menu', '最初から', 'はじめから', '最初に戻る', '最初に戻って', 'トップ', 'ホーム'],
    ['', 'を表示', 'を見せて', 'を見たい', 'に戻る', 'に戻って', 'へ', ...POLITE],
  ),
  cancel: phrases(
    ['やめる', 'やめます', 'やめたい', 'やめて', '止める', 'キャンセル', '中止', '中断', '終了', '終わり', 'おわり', 'ストップ', 'stop', 'cancel'],
    ['', 'する', 'します', 'したい', ...POLITE],
  ),
  handoff: new Set([
    ...phrases(
      ['担当者', '担当の人', '担当の方', 'オペレーター', 'オペレータ', '相談員', 'スタッフ', '有人対応', '有人', '窓口の人', '係の人', '人間の人'],
      [
        '',
        'と話す',
        'と話したい',
        'と話させて',
        'と話せますか',
        'と話をしたい',
        'に代わって',
        'に替わって',
        'に変わって',
        'につないで',
        'に繋いで',
        'に相談',
        'に相談したい',
        'に相談する',
        'をお願いします',
        'お願いします',
        'を呼んで',
        'と話したいです',
        'につないでください',
        'に代わってください',
      ],
    ),
    // A bare 人 or 人間 is too vague on its own, but with a verb it is clear.
    ...phrases(['人', '人間'], ['と話したい', 'と話したいです', 'と話せますか', 'につないで', 'につないでください', 'に代わって', 'に相談したい']),
  ]),
  resume: phrases(['続ける', '続けます', '続けたい', '続きから', '続きをやる', '再開', '再開する', '再開します', 'つづける'], ['', ...POLITE]),
};

/** The command this input is, if it is one: a command button, or a whole message that is a command. */
export function commandOf(input: UserInput): Command | undefined {
  if (input.type === 'choice') {
    const hit = (Object.keys(COMMAND_CHOICES) as Command[]).find((c) => COMMAND_CHOICES[c].value === input.value);
    return hit;
  }
  if (input.type !== 'text') return undefined;
  const t = compact(input.text);
  if (!t || t.length > 24) return undefined;
  return (Object.keys(TYPED) as Command[]).find((c) => TYPED[c].has(t));
}
