import type { DialogFrame, Reply } from '../bot/types.js';
import type { Turn } from '../bot/turn.js';
import { pickChoice } from './choices.js';
import type { Dialog } from './dialog.js';

export const SATISFACTION_DIALOG = 'satisfaction';

const CHOICES = [
  { label: '5 とても満足', value: 'sat:5' },
  { label: '4 満足', value: 'sat:4' },
  { label: '3 ふつう', value: 'sat:3' },
  { label: '2 不満', value: 'sat:2' },
  { label: '1 とても不満', value: 'sat:1' },
];

/** The question asked after an adviser closes a case, and the frame that waits for its answer. */
export function satisfactionPrompt(caseId: string): { frame: DialogFrame; reply: Reply } {
  return {
    frame: { dialog: SATISFACTION_DIALOG, step: 'ask', state: { caseId }, retries: 0 },
    reply: { text: 'ご相談ありがとうございました。今回の対応はいかがでしたか？ 5（とても満足）〜1（とても不満）でお選びください。', choices: CHOICES },
  };
}

/** 1–5 by button, by number or by the label; anything else simply ends the question. */
export function satisfactionDialog(onAnswer: (turn: Turn, caseId: string, score: number) => void): Dialog<{ caseId: string }> {
  return {
    id: SATISFACTION_DIALOG,
    title: '満足度のアンケート',
    resumable: false,
    begin: (_turn, args) => ({ step: 'ask', state: { caseId: String(args.caseId) } }),
    steps: {
      ask: {
        ask: (state) => satisfactionPrompt(state.caseId).reply,
        answer(input, state, turn) {
          const typed = input.type === 'text' ? /^\s*([1-5１-５])\s*(点|です)?\s*$/.exec(input.text) : null;
          const score = typed ? Number(typed[1]!.normalize('NFKC')) : Number(pickChoice(input, CHOICES)?.value.slice(4));
          if (!score) return undefined;
          onAnswer(turn, state.caseId, score);
          turn.say('ご回答ありがとうございました。またいつでもご相談ください。');
          return { end: true };
        },
      },
    },
  };
}
