import type { Choice } from '../bot/types.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { answerChoices, isMoreValue, moreReplies, OUTCOME_CHOICES } from '../knowledge/render.js';
import { pickChoice } from './choices.js';
import { COMMAND_CHOICES } from './commands.js';
import type { Dialog } from './dialog.js';
import type { Turn } from '../bot/turn.js';

interface FeedbackState {
  topic: string;
  /** Buttons already pressed (次にすること, 詳しく, 連絡先): not offered again. */
  shown: string[];
}

const [SOLVED, UNSOLVED] = OUTCOME_CHOICES as [Choice, Choice, Choice];

export const FEEDBACK_LABELS: Record<string, string> = { [SOLVED.value]: SOLVED.label, [UNSOLVED.value]: UNSOLVED.label };

const MORE_WORDS = ['もっと詳しく', '詳細', '詳しく教えて', 'もっと', '続き', 'くわしく'];

const SYNONYMS: Record<string, string[]> = {
  [SOLVED.value]: ['はい', '解決', '解決しました', 'ありがとう', 'ありがとうございます', '助かった', '助かりました', 'わかった', 'わかりました', 'ok', '大丈夫', 'できた', 'できました'],
  [UNSOLVED.value]: ['いいえ', 'だめ', 'ダメ', '解決していない', '解決しません', '解決しなかった', 'わからない', 'わかりません', '無理', 'できない', 'できません', '役に立たない'],
};

/**
 * How an answer went. The answer's own message carries the buttons (次にすること, 詳しく, 連絡先,
 * 解決した, 解決しない, 担当者に相談), so the dialog begins without asking anything; after one of
 * the "more" buttons it asks 「この回答で解決しましたか？」 with the buttons left. 解決した and
 * 解決しない are recorded on the conversation (with 解決しない, a person is offered).
 */
export function feedbackDialog(kb: KnowledgeBase): Dialog<FeedbackState> {
  return {
    id: 'feedback',
    title: '回答の確認',
    resumable: false,
    begin: (_turn, args) => ({ step: 'quiet', state: { topic: String(args.topic), shown: [] } }),
    steps: {
      // Right after the answer: its buttons are already on screen.
      quiet: { ask: () => undefined, answer: (input, state, turn) => answer(kb, input, state, turn) },
      ask: {
        ask(state) {
          const entry = kb.entry(state.topic);
          const left = entry ? answerChoices(kb, entry).filter((c) => !state.shown.includes(c.value)) : [...OUTCOME_CHOICES];
          return { text: 'この回答で解決しましたか？', choices: left };
        },
        answer: (input, state, turn) => answer(kb, input, state, turn),
      },
    },
  };
}

function answer(kb: KnowledgeBase, input: Turn['input'], state: FeedbackState, turn: Turn) {
  const entry = kb.entry(state.topic);
  const more = entry ? answerChoices(kb, entry).filter((c) => isMoreValue(c.value)) : [];
  const choice = pickChoice(input, [...more, SOLVED, UNSOLVED], { ...SYNONYMS, ...(entry ? { [`detail:${entry.id}`]: MORE_WORDS } : {}) });
  if (!choice) return undefined;
  const shown = moreReplies(kb, choice.value);
  if (shown) {
    for (const r of shown.replies) turn.say(r);
    state.shown.push(choice.value);
    return { next: 'ask' } as const;
  }
  recordOutcome(turn, state.topic, choice === SOLVED);
  return { end: true } as const;
}

/** Records how the latest answer on `topic` went and says what comes next. */
export function recordOutcome(turn: Turn, topic: string | undefined, helpful: boolean): void {
  const last = topic ? turn.conversation.topics.findLast((t) => t.topic === topic) : turn.conversation.topics.at(-1);
  if (last) last.helpful = helpful;
  if (helpful) {
    turn.say('お役に立ててよかったです。ほかにも気になることがあれば、いつでも書いてください。');
    return;
  }
  turn.say({
    text: 'お役に立てず申し訳ありません。状況をもう少し詳しく書いていただければ、別の角度からお答えします。人の相談員と直接話すこともできます。',
    choices: [COMMAND_CHOICES.handoff, COMMAND_CHOICES.menu],
  });
}
