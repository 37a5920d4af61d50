import { cancelHandoff, requestHandoff } from '../bot/handoff.js';
import { describeHours, isOpen } from '../bot/hours.js';
import type { Turn } from '../bot/turn.js';
import type { HandoffRequest } from '../bot/types.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { contactLine } from '../knowledge/render.js';
import { COMMAND_CHOICES } from './commands.js';

/** Where to turn when nobody at the desk can answer now. */
const EMERGENCY_CONTACTS = ['ipa-cs', 'police-9110', 'police-online', 'otasuketai'];

/**
 * Records a request to talk to a person and tells the user what happens next. Advisers and
 * their queue arrive with the console; until then the request waits on the conversation.
 */
export function askForPerson(turn: Turn, kb: KnowledgeBase, reason: HandoffRequest['reason']): void {
  const open = isOpen(turn.org.hours, turn.now);
  const result = requestHandoff(turn.conversation, reason, turn.now, open);
  if (result === 'with-adviser') {
    turn.say('担当者がこのチャットを担当しています。そのままメッセージをお送りください。');
    return;
  }
  if (result === 'already-waiting') {
    turn.say({
      text: '担当者へのおつなぎは受け付け済みです。順番にご案内しますので、このままお待ちください。取り消すときは「キャンセル」と送ってください。',
    });
    return;
  }
  if (open) {
    turn.say(
      '担当者へのおつなぎを受け付けました。相談員の手が空きしだい、このチャットでお返事します。\n' +
        'お待ちの間も、ボットへの質問は続けられます。取り消すときは「キャンセル」と送ってください。',
    );
    return;
  }
  const contacts = EMERGENCY_CONTACTS.map((id) => kb.contact(id))
    .filter((c) => c !== undefined)
    .map(contactLine);
  turn.say(
    `ただいま受付時間外です（受付時間: ${describeHours(turn.org.hours)}）。\n` +
      'ご依頼は受け付けましたので、受付時間になりしだい相談員からこのチャットでご連絡します。取り消すときは「キャンセル」と送ってください。',
  );
  turn.say(['急ぎの被害が起きている場合は、待たずに次の窓口にもご相談ください。', ...contacts].join('\n'));
}

/** Withdraws the request; says so. Returns false when there was nothing to withdraw. */
export function withdrawRequest(turn: Turn): boolean {
  if (!cancelHandoff(turn.conversation)) return false;
  turn.say({ text: '担当者へのおつなぎを取り消しました。引き続きボットがお答えします。', choices: [COMMAND_CHOICES.menu] });
  return true;
}
