import type { Turn, UserInput } from '../bot/turn.js';
import type { Reply } from '../bot/types.js';

/** Where a step sends the conversation after a valid answer. */
export type Outcome =
  /** Ask another step of the same dialog. */
  | { next: string }
  /** Ask the same step again (after the step said something, e.g. 詳しく). */
  | { repeat: true }
  /** Stay at this step without asking again: the step's reply already invites the next answer. */
  | { wait: true }
  /** The dialog is finished. */
  | { end: true };

/**
 * One question of a dialog. `S` is the dialog's own state, persisted as JSON after every turn,
 * so a dialog survives a restart: keep it plain data.
 */
export interface Step<S> {
  /** The question, with its choices; undefined when the reply that began the step already asks. */
  ask(state: S, turn: Turn): Reply | undefined;
  /**
   * Interprets the user's input. Returns undefined when it is not an answer to this step; the
   * engine then decides between re-asking and treating it as a new question. May `turn.say`.
   */
  answer(input: UserInput, state: S, turn: Turn): Outcome | undefined;
  /** Said before re-asking when an answer was not understood. */
  reask?: string;
  /**
   * The step takes any text (a company name, a description). Such a step would swallow a
   * question asked in passing, so the bot first checks whether the text is clearly a question
   * about something else and, if so, treats it as an interruption.
   */
  freeText?: boolean;
}

export interface Dialog<S extends object = Record<string, unknown>> {
  id: string;
  /** Shown when offering to resume: 「{title}」の途中です。 */
  title: string;
  /**
   * Long flows (the diagnosis, hand-off intake) are resumable: a question asked mid-way is
   * answered and the user is offered to continue. One-step prompts (the menu, "was this
   * helpful?") are not: anything that is not an answer simply ends them.
   */
  resumable: boolean;
  /** Where a resumable flow stands (「12/25問目」), for the offer to resume and the reminder on return. */
  progress?(state: S): string;
  begin(turn: Turn, args: Record<string, unknown>): { step: string; state: S };
  steps: Record<string, Step<S>>;
}
