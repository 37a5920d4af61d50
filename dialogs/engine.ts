import type { Turn } from '../bot/turn.js';
import type { DialogFrame } from '../bot/types.js';
import { RESUME_CHOICES } from './commands.js';
import type { Dialog, Outcome, Step } from './dialog.js';

/** What happened when the input was offered to the active dialog. */
export type AnswerResult = 'answered' | 'not-understood' | 'no-dialog';

/** After this many misunderstood answers in a row, the re-ask also says how to get out. */
const RETRIES_BEFORE_HINT = 2;

/**
 * Runs dialogs over the conversation's dialog stack (`conversation.dialogs`, top last). The
 * stack is plain JSON inside the conversation document, so it is committed with every turn and
 * a dialog resumes where it was after a restart.
 *
 * The engine does the mechanics (begin, answer, re-ask, suspend, resume); deciding what to do
 * with input that is not an answer belongs to the caller (see desk-bot.ts).
 */
export class DialogEngine {
  private readonly dialogs = new Map<string, Dialog<any>>();

  constructor(dialogs: Dialog<any>[]) {
    for (const d of dialogs) this.dialogs.set(d.id, d);
  }

  /** The active frame, if its dialog and step still exist in this version of the code. */
  top(turn: Turn): DialogFrame | undefined {
    const stack = turn.conversation.dialogs;
    // A frame stored by an older version whose dialog or step is gone cannot be run: drop it.
    while (stack.length && !this.stepOf(stack[stack.length - 1]!)) stack.pop();
    return stack[stack.length - 1];
  }

  /** The active frame's step definition. */
  activeStep(turn: Turn): Step<any> | undefined {
    const frame = this.top(turn);
    return frame && this.stepOf(frame);
  }

  has(id: string): boolean {
    return this.dialogs.has(id);
  }

  title(id: string): string | undefined {
    return this.dialogs.get(id)?.title;
  }

  dialogOf(frame: DialogFrame): Dialog<any> | undefined {
    return this.dialogs.get(frame.dialog);
  }

  /** Starts a dialog on top of the stack and asks its first step. A one-step prompt on top is replaced. */
  begin(turn: Turn, id: string, args: Record<string, unknown> = {}): void {
    const dialog = this.dialogs.get(id);
    if (!dialog) throw new Error(`unknown dialog ${id}`);
    const top = this.top(turn);
    if (top && !this.dialogOf(top)!.resumable) turn.conversation.dialogs.pop();
    const { step, state } = dialog.begin(turn, args);
    turn.conversation.dialogs.push({ dialog: id, step, state: state as Record<string, unknown>, retries: 0 });
    this.ask(turn);
  }

  /** Asks the active step (again). */
  ask(turn: Turn): void {
    const frame = this.top(turn);
    if (!frame) return;
    frame.suspended = false;
    const question = this.stepOf(frame)!.ask(frame.state, turn);
    if (question) turn.say(question);
  }

  /** Offers the turn's input to the active step. */
  answer(turn: Turn): AnswerResult {
    const frame = this.top(turn);
    if (!frame) return 'no-dialog';
    const outcome = this.stepOf(frame)!.answer(turn.input, frame.state, turn);
    if (!outcome) return 'not-understood';
    frame.retries = 0;
    frame.suspended = false;
    this.apply(turn, frame, outcome);
    return 'answered';
  }

  /** Says the answer was not understood and asks again. */
  reask(turn: Turn): void {
    const frame = this.top(turn);
    if (!frame) return;
    frame.retries += 1;
    const step = this.stepOf(frame)!;
    let text = `すみません、お答えを読み取れませんでした。${step.reask ?? '下のボタンから選ぶか、ボタンと同じ言葉で入力してください。'}`;
    if (frame.retries >= RETRIES_BEFORE_HINT) text += '\n中断するときは「やめる」、人と話したいときは「担当者」と入力してください。';
    turn.say(text);
    this.ask(turn);
  }

  /** Marks the active dialog as interrupted and offers to resume it. */
  suspend(turn: Turn): void {
    const frame = this.top(turn);
    if (!frame) return;
    frame.suspended = true;
    turn.say({ text: `${this.describe(frame)}の途中です。続けますか？`, choices: RESUME_CHOICES });
  }

  /** 「自社診断」（12/25問目）: the dialog's title, with its progress when it tells one. */
  describe(frame: DialogFrame): string {
    const dialog = this.dialogOf(frame)!;
    const progress = dialog.progress?.(frame.state);
    return `「${dialog.title}」${progress ? `（${progress}）` : ''}`;
  }

  /**
   * Brings an existing frame of this dialog back to the top and asks where it was, or begins
   * the dialog when there is none: starting the diagnosis twice resumes the first one.
   */
  resumeOrBegin(turn: Turn, id: string, args: Record<string, unknown> = {}): void {
    const stack = turn.conversation.dialogs;
    const i = stack.findIndex((f) => f.dialog === id);
    if (i < 0) {
      this.begin(turn, id, args);
      return;
    }
    const [frame] = stack.splice(i, 1);
    const top = this.top(turn);
    if (top && !this.dialogOf(top)!.resumable) stack.pop();
    stack.push(frame!);
    turn.say(`${this.describe(frame!)}の続きから再開します。`);
    this.ask(turn);
  }

  /** Removes the active dialog. */
  drop(turn: Turn): void {
    if (this.top(turn)) turn.conversation.dialogs.pop();
  }

  /** Ends every dialog; returns the titles of the resumable ones that were stopped. */
  clear(turn: Turn): string[] {
    const stopped = turn.conversation.dialogs
      .map((f) => this.dialogOf(f))
      .filter((d): d is Dialog<any> => Boolean(d?.resumable))
      .map((d) => d.title);
    turn.conversation.dialogs.length = 0;
    return stopped;
  }

  private apply(turn: Turn, frame: DialogFrame, outcome: Outcome): void {
    if ('next' in outcome) {
      frame.step = outcome.next;
      this.ask(turn);
    } else if ('repeat' in outcome) {
      this.ask(turn);
    } else if ('wait' in outcome) {
      // Nothing to ask: the step's own reply invites the next answer.
    } else {
      // The step may have started another dialog on top of its own: remove this frame, not the top.
      const stack = turn.conversation.dialogs;
      const i = stack.indexOf(frame);
      if (i >= 0) stack.splice(i, 1);
    }
  }

  private stepOf(frame: DialogFrame) {
    return this.dialogs.get(frame.dialog)?.steps[frame.step];
  }
}
