import { splitText } from '../../bot/split-text.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { BUBBLE_MAX } from '../../knowledge/render.js';
import { COMMAND_CHOICES } from '../commands.js';
import type { Dialog } from '../dialog.js';
import { DIAGNOSIS_DIALOG } from './diagnosis-dialog.js';
import { policyDraft } from './policy.js';
import { unpackAnswers } from './record.js';

export const POLICY_DIALOG = 'diagnosis-policy';

/**
 * 「基本方針のひな形を作る」: the draft from the latest diagnosis, in the chat, with links to
 * download it as text and to see it on the report. A one-step prompt: it shows, then steps aside.
 */
export function policyDialog(kb: KnowledgeBase): Dialog<Record<string, never>> {
  return {
    id: POLICY_DIALOG,
    title: '基本方針のひな形',
    resumable: false,
    begin: () => ({ step: 'show', state: {} }),
    steps: {
      show: {
        ask(_state, turn) {
          const latest = turn.conversation.diagnoses?.at(-1);
          if (!latest) {
            return {
              text: '基本方針のひな形は、自社診断の回答をもとに作ります。先に自社診断（25問、5〜10分）をしましょう。',
              choices: [{ label: '自社診断を始める', value: `start:${DIAGNOSIS_DIALOG}` }, COMMAND_CHOICES.menu],
            };
          }
          const draft = policyDraft(kb.diagnosis, latest.profile, unpackAnswers(latest.answers), new Date(latest.at));
          const parts = splitText(draft, BUBBLE_MAX);
          parts.slice(0, -1).forEach((p) => turn.say(p));
          return {
            text: parts.at(-1)!,
            cards: [
              {
                title: '情報セキュリティ基本方針（下書き）',
                body: '内容を確かめ、自社に合わせて直してから、代表者名を入れて公開してください。',
                buttons: [
                  { label: 'テキストでダウンロード', url: `${latest.reportUrl}/policy.txt` },
                  { label: 'レポートで見る', url: `${latest.reportUrl}#policy` },
                ],
              },
            ],
            choices: [...(kb.entry('basic-policy') ? [{ label: '基本方針の作り方', value: 'topic:basic-policy' }] : []), COMMAND_CHOICES.menu],
          };
        },
        answer: () => undefined,
      },
    },
  };
}
