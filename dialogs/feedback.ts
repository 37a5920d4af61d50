import type { Choice } from '../bot/types.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { detailReplies, hasDetails } from '../knowledge/render.js';
import { pickChoice } from './choices.js';
import { COMMAND_CHOICES } from './commands.js';
import type { Dialog } from './dialog.js';

interface FeedbackState {
  topic: string;
  detailed: boolean;
}

const MORE: Choice = { label: '詳しく', value: 'fb:more' };
const SOLVED: Choice = { label: '解決した', value: 'fb:solved' };
const UNSOLVED: Choice = { label: '解決しない', value: 'fb:unsolved' };
const PERSON: Choice = { label: '担当者に相談', value: COMMAND_CHOICES.handoff.value };

export const FEEDBACK_LABELS: Record<string, string> = { [MORE.value]: MORE.label, [SOLVED.value]: SOLVED.label, [UNSOLVED.value]: UNSOLVED.label };

const SYNONYMS: Record<string, string[]> = {
  [MORE.value]: ['もっと詳しく', '詳細', '詳しく教えて', 'もっと', '続き', 'くわしく'],
  [SOLVED.value]: ['はい', '解決', '解決しました', 'ありがとう', 'ありがとうございます', '助かった', '助かりました', 'わかった', 'わかりました', 'ok', '大丈夫', 'できた', 'できました'],
  [UNSOLVED.value]: ['いいえ', 'だめ', 'ダメ', '解決していない', '解決しません', '解決しなかった', 'わからない', 'わかりません', '無理', 'できない', 'できません', '役に立たない'],
};

/**
 * "Was this helpful?" after an answer: 詳しく shows the rest of the entry, 解決した/解決しない
 * are recorded on the conversation (and, with 解決しない, a person is offered).
 */
export function feedbackDialog(kb: KnowledgeBase): Dialog<FeedbackState> {
  const record = (conversationTopics: { topic: string; helpful?: boolean }[], topic: string, helpful: boolean) => {
    const last = conversationTopics.findLast((t) => t.topic === topic);
    if (last) last.helpful = helpful;
  };
  return {
    id: 'feedback',
    title: '回答の確認',
    resumable: false,
    begin: (_turn, args) => ({ step: 'ask', state: { topic: String(args.topic), detailed: false } }),
    steps: {
      ask: {
        ask(state) {
          const entry = kb.entry(state.topic);
          const more = entry && !state.detailed && hasDetails(entry) ? [MORE] : [];
          return { text: 'この回答で解決しましたか？', choices: [...more, SOLVED, UNSOLVED, PERSON] };
        },
        answer(input, state, turn) {
          const choice = pickChoice(input, [MORE, SOLVED, UNSOLVED], SYNONYMS);
          if (!choice) return undefined;
          const entry = kb.entry(state.topic);
          if (choice === MORE) {
            if (!entry) return { end: true };
            for (const r of detailReplies(kb, entry)) turn.say(r);
            state.detailed = true;
            return { repeat: true };
          }
          if (choice === SOLVED) {
            record(turn.conversation.topics, state.topic, true);
            turn.say('お役に立ててよかったです。ほかにも気になることがあれば、いつでも書いてください。');
            return { end: true };
          }
          record(turn.conversation.topics, state.topic, false);
          turn.say({
            text:
              'お役に立てず申し訳ありません。状況をもう少し詳しく書いていただければ、別の角度からお答えします。' +
              '人の相談員と直接話すこともできます。',
            choices: [COMMAND_CHOICES.handoff, COMMAND_CHOICES.menu],
          });
          return { end: true };
        },
      },
    },
  };
}
