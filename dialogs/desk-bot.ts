import { CASES, type Case, type CaseReason } from '../bot/cases.js';
import type { Responder, Turn, UserInput } from '../bot/turn.js';
import type { Choice } from '../bot/types.js';
import { OUT_OF_SCOPE } from '../knowledge/classifier.js';
import { CLOSE, LOW, type KnowledgeBase, type Understanding } from '../knowledge/knowledge-base.js';
import { compact } from '../knowledge/normalize.js';
import { briefReply, firstAidChoices, firstAidReply, moreReplies, urgentReplies } from '../knowledge/render.js';
import { subQuestion } from '../knowledge/sub-question.js';
import { pickChoice } from './choices.js';
import { COMMAND_CHOICES, commandOf, type Command } from './commands.js';
import { DIAGNOSIS_DIALOG, diagnosisDialog } from './diagnosis/diagnosis-dialog.js';
import { policyDialog } from './diagnosis/policy-dialog.js';
import { OFFER_EXPERT_BELOW } from './diagnosis/result-replies.js';
import type { Dialog } from './dialog.js';
import { DialogEngine } from './engine.js';
import { FEEDBACK_LABELS, feedbackDialog, recordOutcome } from './feedback.js';
import { TRIAGE_DIALOG, triageDialog } from './incident/triage-dialog.js';
import { alreadyHandedOff, handoffDialog, HANDOFF_DIALOG, openHandoffCase, tellPlaceIfMoved, withdrawRequest } from './handoff.js';
import { satisfactionDialog } from './satisfaction.js';
import { MIN_READ_CHARS, phoneNumbersIn, receivedLine, screenKind, urlsIn } from './screenshot.js';
import { referenceAnswer, threatsButton, threatsDialog } from './reference.js';
import { MENU_CHOICES, welcomeDialog } from './welcome.js';

/** How many answered topics the conversation remembers (for the adviser's summary later). */
const TOPICS_KEPT = 10;
/** Low-confidence turns in a row after which a person is offered. */
const OFFER_PERSON_AFTER = 2;
/** Back after this long in the middle of a flow, the user is reminded where they were. */
const REMIND_AFTER_MS = 30 * 60_000;
/** Typed ways of asking for the triage (compact form). */
const TRIAGE_ASKED = ['状況を整理', '状況の整理', 'インシデントシート', '連絡シート', 'トリアージ'].map(compact);
/** A follow-up within this long of an incident answer is read as being about that incident. */
const RECENT_INCIDENT_MS = 2 * 3_600_000;

const CONSULT_EXAMPLES: { label: string; topic: string }[] = [
  { label: '偽の警告画面が出た', topic: 'fake-alert' },
  { label: 'ファイルが開けない・暗号化された', topic: 'ransomware' },
  { label: '不審なメールの添付を開いた', topic: 'emotet' },
  { label: '偽サイトに入力してしまった', topic: 'phishing' },
  { label: '基本の対策を知りたい', topic: 'five-principles' },
];

const WELCOME_BACK = 'おかえりなさい。';

const REPHRASE: Choice = { label: 'どれでもない', value: 'ask:rephrase' };

const GREETINGS = new Set(
  ['こんにちは', 'こんばんは', 'おはよう', 'おはようございます', 'はじめまして', 'もしもし', 'hello', 'hi', 'よろしく', 'よろしくお願いします'].map(compact),
);
const THANKS = new Set(
  ['ありがとう', 'ありがとうございます', 'ありがとうございました', 'どうも', '助かりました', 'thanks', 'thank you', 'サンキュー'].map(compact),
);

/**
 * The bot's logic: global commands first, then the active dialog, then free questions
 * answered from the knowledge base. Plugged into the desk as its Responder.
 */
/** The topic that lists every contact (where to report what). */
const CONTACTS_TOPIC = 'report-contacts';

export class DeskBot implements Responder {
  private readonly engine: DialogEngine;

  /**
   * `publicUrl`: the desk's address as users reach it, for links to report pages.
   * `dialogs`: further flows, started by a `start:<dialog id>` button value.
   */
  constructor(
    private readonly kb: KnowledgeBase,
    options: { publicUrl?: () => string; dialogs?: Dialog<any>[] } = {},
  ) {
    this.engine = new DialogEngine([
      welcomeDialog((value, turn, said) => this.runAction(value, turn, { followUp: true, ...(said ? { said } : {}) })),
      feedbackDialog(kb),
      threatsDialog(kb),
      diagnosisDialog(kb, { publicUrl: options.publicUrl ?? (() => 'http://localhost:3978') }),
      triageDialog(kb, { publicUrl: options.publicUrl ?? (() => 'http://localhost:3978') }),
      policyDialog(kb),
      handoffDialog(kb, (turn, state) => this.defer(turn, () => openHandoffCase(turn, kb, state))),
      satisfactionDialog((turn, caseId, score) =>
        this.defer(turn, async () => {
          const c = await turn.read<Case>(CASES, caseId);
          if (c) turn.save(CASES, c.id, { ...c, satisfaction: score });
        }),
      ),
      ...(options.dialogs ?? []),
    ]);
  }

  /** Work a sync step started that needs the store (open a case, record a score): run before the turn ends. */
  private readonly deferred = new WeakMap<Turn, (() => Promise<void>)[]>();

  private defer(turn: Turn, task: () => Promise<void>): void {
    const list = this.deferred.get(turn) ?? [];
    list.push(task);
    this.deferred.set(turn, list);
  }

  async respond(turn: Turn): Promise<void> {
    await this.route(turn);
    // In order, each after the one before: later tasks may depend on what earlier ones said.
    for (let list = this.deferred.get(turn); list?.length; list = this.deferred.get(turn)) await list.shift()!();
    await tellPlaceIfMoved(turn);
  }

  private async route(turn: Turn): Promise<void> {
    const { input } = turn;
    if (input.type === 'start') {
      // Back in a chat with a flow half done (a LINE user who blocked and re-added the desk):
      // greet, then offer to continue rather than burying the flow under the menu.
      const unfinished = this.engine.top(turn);
      if (unfinished && this.engine.dialogOf(unfinished)!.resumable) {
        turn.say(WELCOME_BACK);
        this.engine.suspend(turn);
      } else {
        this.engine.begin(turn, 'welcome', { greet: true });
      }
      return;
    }
    if (input.type === 'attachment') {
      // Already read (LINE reads before the turn, to answer with the free reply token): answer it now.
      if (input.attachment.read) this.answerRead(turn, { type: 'read', attachment: input.attachment, ...(input.caption ? { caption: input.caption } : {}) });
      else turn.say(receivedLine(input.attachment));
      return;
    }
    if (input.type === 'read') {
      this.answerRead(turn, input);
      return;
    }
    if (input.type === 'other') {
      if (input.kind === 'video' || input.kind === 'audio') {
        turn.say({
          text: `${input.kind === 'video' ? '動画' : '音声'}はこの窓口では見ることができません（送っていただいたことは相談員にも伝わります）。困っていることを文章で書いていただくか、画面の写真やスクリーンショットを送ってください。`,
          choices: [COMMAND_CHOICES.handoff, COMMAND_CHOICES.menu],
        });
        return;
      }
      if (input.kind === 'large-file' || input.kind === 'unsupported-file') {
        turn.say(
          input.kind === 'large-file'
            ? 'ファイルが大きすぎて受け取れませんでした（10 MB まで）。画面の一部を写すか、スクリーンショットにして送ってください。'
            : 'このファイルは受け取れない形式でした。送れるのは画像（PNG・JPEG・GIF・WebP）と PDF です。内容を文章で書いていただいても大丈夫です。',
        );
        return;
      }
      if (input.kind === 'sticker') {
        // A sticker is a greeting or a nod, not a mistake: answer in kind and show the way on.
        turn.say({ text: 'スタンプありがとうございます。ご相談があれば、そのまま文章で送ってください。', choices: MENU_CHOICES });
        return;
      }
      turn.say('申し訳ありません。この窓口では文字のメッセージだけを読み取れます。ご相談の内容を文章で送ってください。');
      return;
    }
    const command = commandOf(input);
    if (command) {
      this.command(command, turn);
      return;
    }
    this.remindIfBack(turn);

    const frame = this.engine.top(turn);
    if (frame) {
      const dialog = this.engine.dialogOf(frame)!;
      // A step that takes any text would swallow a question asked in passing: look first.
      const asked = this.engine.activeStep(turn)?.freeText && input.type === 'text' ? this.clearQuestion(input.text) : undefined;
      if (!asked && this.engine.answer(turn) === 'answered') return;
      if (!dialog.resumable) {
        // A one-step prompt ("was this helpful?", the menu): anything else simply ends it.
        this.engine.drop(turn);
      } else {
        // A long flow: answer what was asked in passing and offer to continue. The frame is
        // marked interrupted first; asking it again (「自社診断したい」 in the middle of the
        // diagnosis resumes it) clears the mark, and then there is nothing to offer.
        frame.suspended = true;
        const topic = asked ?? (input.type === 'text' ? this.clearQuestion(input.text) : undefined);
        const handled =
          (input.type === 'choice' && this.runAction(input.value, turn, { followUp: false })) ||
          (topic !== undefined && this.answerTopic(turn, topic, { followUp: false, ...(input.type === 'text' ? { said: input.text } : {}) }));
        if (!handled) {
          frame.suspended = false;
          this.engine.reask(turn);
          return;
        }
        // Checked last: an answer may start something on top (the intake for a person, after
        // the store is read), and then the flow simply waits below it.
        this.defer(turn, async () => {
          if (this.engine.top(turn) === frame && frame.suspended) this.engine.suspend(turn);
        });
        return;
      }
    }
    this.free(turn);
  }

  /**
   * Starts the intake for a person, unless the user is already in line or with an adviser.
   * The reason is what led here: an emergency, an unsolved answer, repeated misunderstanding,
   * a very low diagnosis score, or simply the user's wish.
   */
  private askForPerson(turn: Turn): void {
    this.defer(turn, async () => {
      if (await alreadyHandedOff(turn)) return;
      const c = turn.conversation;
      const last = c.topics.at(-1);
      const diagnosis = c.diagnoses?.at(-1);
      const reason: CaseReason = last?.urgent
        ? 'urgent'
        : last?.helpful === false
          ? 'unsolved'
          : c.lowConfidenceStreak >= OFFER_PERSON_AFTER
            ? 'low-confidence'
            : diagnosis && diagnosis.total < OFFER_EXPERT_BELOW && turn.now.getTime() - Date.parse(diagnosis.at) < 86_400_000
              ? 'low-score'
              : 'user';
      this.engine.resumeOrBegin(turn, HANDOFF_DIALOG, { reason, urgent: reason === 'urgent' });
    });
  }

  /** After a long pause in the middle of a flow, say where the user was before going on. */
  private remindIfBack(turn: Turn): void {
    const frame = this.engine.top(turn);
    if (!frame || !this.engine.dialogOf(frame)!.resumable) return;
    if (turn.now.getTime() - new Date(turn.conversation.updatedAt).getTime() < REMIND_AFTER_MS) return;
    turn.say(`おかえりなさい。${this.engine.describe(frame)}の途中でした。続きからどうぞ（中止するときは「やめる」）。`);
  }

  /** The topic of a text that is clearly a question the desk can answer, if it is one. */
  private clearQuestion(text: string): string | undefined {
    const u = this.kb.understand(text);
    return u.confidence === 'high' ? u.matches[0]!.id : undefined;
  }

  labelFor(value: string): string | undefined {
    if (value.startsWith('topic:')) return this.kb.entry(value.slice(6))?.title;
    if (value.startsWith('detail:')) return '詳しく';
    if (value.startsWith('next:')) return '次にすること';
    if (value.startsWith('contacts:')) return '連絡先';
    if (value.startsWith('threats:')) return value.includes('individual') ? '個人編' : '組織編';
    if (value.startsWith('start:')) return this.engine.title(value.slice(6));
    if (value === REPHRASE.value) return REPHRASE.label;
    return (
      MENU_CHOICES.find((c) => c.value === value)?.label ??
      Object.values(COMMAND_CHOICES).find((c) => c.value === value)?.label ??
      FEEDBACK_LABELS[value]
    );
  }

  /** Input with no dialog waiting for it: a button, small talk, or a question. */
  private free(turn: Turn): void {
    const { input } = turn;
    if (input.type === 'choice') {
      if (!this.runAction(input.value, turn)) {
        turn.say({ text: 'このボタンは、いまは使えません。メニューから選び直してください。', choices: MENU_CHOICES });
      }
      return;
    }
    if (input.type !== 'text') return;

    // The label of a button typed out instead of pressed.
    const typed = pickChoice(input, turn.conversation.lastChoices);
    // What they typed still says what they asked (「お助け隊は月いくら？」 matches the お助け隊 button).
    if (typed && this.runAction(typed.value, turn, { followUp: true, said: input.text })) return;

    const t = compact(input.text);
    if (!t) {
      turn.say('すみません、文字を読み取れませんでした。困っていることを文章で書いてください。');
      return;
    }
    if (GREETINGS.has(t)) {
      this.engine.begin(turn, 'welcome', { greet: true });
      return;
    }
    if (THANKS.has(t)) {
      turn.say('どういたしまして。ほかにも気になることがあれば、いつでも書いてください。');
      return;
    }

    // 「状況を整理したい」「連絡シートを作って」: the triage, for the incident at hand.
    if (TRIAGE_ASKED.some((w) => t.includes(w))) {
      this.engine.resumeOrBegin(turn, TRIAGE_DIALOG);
      return;
    }

    const reference = referenceAnswer(turn, this.kb, input.text);
    if (reference) {
      if (reference.begin) this.engine.begin(turn, reference.begin.dialog, reference.begin.args);
      turn.conversation.lowConfidenceStreak = 0;
      return;
    }

    const u = this.kb.understand(input.text);
    const [best, second] = u.matches;
    const emergency = u.urgent ? this.incidentTopic(turn, u) : undefined;
    const close = u.confidence === 'high' && second && second.id !== OUT_OF_SCOPE && best!.score - second.score < CLOSE;
    if (emergency) this.answerTopic(turn, emergency, { followUp: false, urgent: true, said: input.text });
    else if (close && subQuestion(input.text) === 'contact' && [best!.id, second.id].includes(CONTACTS_TOPIC)) {
      // 「ランサムウェアの相談窓口は？」: the incident's own contacts answer it better than the general list.
      this.answerTopic(turn, best!.id === CONTACTS_TOPIC ? second.id : best!.id, { followUp: true, said: input.text });
    } else if (close) this.whichOne(turn, u);
    else if (u.confidence === 'high') this.answerTopic(turn, best!.id, { followUp: true, said: input.text });
    else if (u.confidence === 'low') this.didYouMean(turn, u);
    else this.notUnderstood(turn);
  }

  private command(command: Command, turn: Turn): void {
    switch (command) {
      case 'menu':
        this.engine.clear(turn);
        this.engine.begin(turn, 'welcome');
        return;
      case 'cancel': {
        const stopped = this.engine.clear(turn);
        if (stopped.length) {
          turn.say({ text: `「${stopped.join('」「')}」を中止しました。`, choices: [COMMAND_CHOICES.menu] });
        } else {
          this.defer(turn, async () => {
            if (!(await withdrawRequest(turn))) turn.say({ text: 'わかりました。ほかにご用があれば、いつでも書いてください。', choices: [COMMAND_CHOICES.menu] });
          });
        }
        return;
      }
      case 'handoff': {
        // A pending one-step prompt is moot now; a long flow stays, to be resumed later.
        const frame = this.engine.top(turn);
        if (frame && !this.engine.dialogOf(frame)!.resumable) this.engine.drop(turn);
        this.askForPerson(turn);
        return;
      }
      case 'resume':
        if (this.engine.top(turn)) this.engine.ask(turn);
        else turn.say({ text: '再開できる手続きはありません。メニューから選んでください。', choices: MENU_CHOICES });
        return;
    }
  }

  /**
   * Global actions carried by button values. Returns false for a value it does not know.
   * `followUp: false` answers without starting "was this helpful?" (used mid-flow).
   */
  private runAction(value: string, turn: Turn, options: { followUp: boolean; said?: string } = { followUp: true }): boolean {
    if (value.startsWith('topic:')) return this.answerTopic(turn, value.slice(6), options);
    if (value.startsWith('threats:')) {
      const state = threatsButton(turn, this.kb, value);
      if (state && options.followUp) this.engine.begin(turn, 'threats', { ...state });
      return Boolean(state);
    }
    const more = moreReplies(this.kb, value);
    if (more) {
      for (const r of more.replies) turn.say(r);
      // The way on stays at hand after the details.
      if (more.entry.firstAid) turn.say({ text: '次にできること:', choices: firstAidChoices(more.entry.id).filter((ch) => ch.value !== value) });
      return true;
    }
    // 解決した / 解決しない pressed on an older answer: it is about the latest one.
    if (value === 'fb:solved' || value === 'fb:unsolved') {
      recordOutcome(turn, undefined, value === 'fb:solved');
      return true;
    }
    if (value.startsWith('start:')) {
      if (!this.engine.has(value.slice(6))) return false;
      this.engine.resumeOrBegin(turn, value.slice(6));
      return true;
    }
    switch (value) {
      case 'menu:consult':
        this.consultPrompt(turn);
        return true;
      case 'menu:diagnosis':
        return this.answerTopic(turn, 'self-diagnosis', options);
      case 'menu:otasuketai':
        return this.answerTopic(turn, 'otasuketai', options);
      case REPHRASE.value:
        turn.say('お手数ですが、困っていることを別の言葉で、できるだけ具体的に書いてください（いつ・何が起きたか・何をしてしまったか など）。');
        return true;
      default:
        return false;
    }
  }

  /**
   * Answers a topic. Some topics are requests rather than questions: asking for a person
   * starts the hand-off. An emergency leads with the most important actions and offers a
   * person at once.
   */
  private answerTopic(turn: Turn, id: string, options: { followUp: boolean; urgent?: boolean; said?: string }): boolean {
    if (id === 'human-handoff') {
      this.askForPerson(turn);
      return true;
    }
    if (id === 'self-diagnosis') {
      this.engine.resumeOrBegin(turn, DIAGNOSIS_DIALOG);
      return true;
    }
    const entry = this.kb.entry(id);
    if (!entry) return false;
    const c = turn.conversation;
    c.topics.push({ topic: id, at: turn.now.toISOString(), ...(options.urgent ? { urgent: true } : {}), ...(options.said ? { said: options.said.slice(0, 500) } : {}) });
    if (c.topics.length > TOPICS_KEPT) c.topics.splice(0, c.topics.length - TOPICS_KEPT);
    c.lowConfidenceStreak = 0;
    if (options.urgent) {
      // One message that fits one glance, its buttons (a person first) right under it.
      const aid = firstAidReply(this.kb, entry, options.said ?? '');
      if (aid) turn.say(aid);
      else {
        for (const r of urgentReplies(entry)) turn.say(r);
        turn.say({ text: '状況が心配な場合は、人の相談員にすぐおつなぎします。', choices: [{ label: '相談員に今すぐ相談', value: COMMAND_CHOICES.handoff.value }] });
      }
      return true;
    }
    turn.say(briefReply(this.kb, entry, options.said ?? ''));
    if (options.followUp) this.engine.begin(turn, 'feedback', { topic: id });
    return true;
  }

  /**
   * The incident an urgent message is about: the likeliest incident topic among the top
   * matches; else, for a short follow-up (「開いてしまいました」), the incident this
   * conversation was just about. Undefined when nothing places it (then it is answered as usual).
   */
  private incidentTopic(turn: Turn, u: Understanding): string | undefined {
    const isIncident = (id: string) => this.kb.entry(id)?.kind === 'incident';
    const placed = u.matches.slice(0, 3).find((m) => m.score >= LOW && isIncident(m.id) && m.score >= u.matches[0]!.score * 0.5);
    if (placed && u.confidence !== 'none') return placed.id;
    const recent = turn.conversation.topics.findLast((t) => isIncident(t.topic) && turn.now.getTime() - Date.parse(t.at) < RECENT_INCIDENT_MS);
    return recent?.topic ?? placed?.id;
  }

  /**
   * The text read on a screenshot, answered as if the user had typed it together with the
   * words they sent along, and quoting what the screen shows: a fake warning's phone number
   * (「表示されている 050-… には電話しないでください」), a phishing page's address. Nothing
   * readable: ask them to type the words, and offer a person.
   */
  private answerRead(turn: Turn, input: Extract<UserInput, { type: 'read' }>): void {
    const read = input.attachment.read;
    const caption = input.caption ?? '';
    if (!read || read.failed || read.text.replace(/\s/g, '').length < MIN_READ_CHARS) {
      turn.say({
        text: '申し訳ありません。画像の文字をうまく読み取れませんでした。画面に書かれている言葉（警告の文、電話番号、送り主など）を打って送っていただけますか。人の相談員に画像を見てもらうこともできます。',
        choices: [COMMAND_CHOICES.handoff, COMMAND_CHOICES.menu],
      });
      return;
    }
    const phones = phoneNumbersIn(read.text);
    const urls = urlsIn(read.text);
    const said = caption || '［画像］';
    const quote = read.text.split('\n').slice(0, 3).join(' ').slice(0, 80);
    turn.say(`画像から文字を読み取りました（機械で読み取ったので、違っているところがあるかもしれません）:「${quote}${read.text.length > 80 ? '…' : ''}」`);
    // What the screen says is not what happened to the user: a phishing SMS received is not an
    // emergency, but 「入力してしまった」 in their own words is. Urgency comes from their words,
    // except for a ransom note on their own screen.
    const theirs = caption ? this.kb.understand(caption) : undefined;
    const kind = screenKind(read.text);
    if (kind === 'fake-warning') {
      turn.say(`これは偽の警告（サポート詐欺）の画面です。${phones.length ? `表示されている ${phones.join('、')} には電話しないでください。` : '表示されている電話番号には電話しないでください。'}`);
      this.answerTopic(turn, 'fake-alert', { followUp: false, urgent: true, said });
      return;
    }
    if (kind === 'ransom-note') {
      this.answerTopic(turn, 'ransomware', { followUp: false, urgent: true, said });
      return;
    }
    if (kind === 'phishing-sms' || kind === 'phishing-page') {
      const topic = kind === 'phishing-sms' ? 'mobile-threat' : 'phishing';
      turn.say(`フィッシング（偽の SMS やサイト）の可能性が高いです。${urls.length ? `${urls.slice(0, 2).join('、')} は開かず、` : ''}ID・パスワードやカード番号を入力しないでください。`);
      if (theirs?.urgent) this.answerTopic(turn, theirs.matches[0]!.id === 'phishing' || theirs.matches[0]!.id === 'mobile-threat' ? theirs.matches[0]!.id : 'phishing', { followUp: false, urgent: true, said });
      else this.answerTopic(turn, topic, { followUp: true, said });
      return;
    }
    const u = this.kb.understand([caption, read.text].filter(Boolean).join('\n'));
    const urgent = theirs ? theirs.urgent : u.urgent;
    const topic = urgent ? this.incidentTopic(turn, u) : u.confidence === 'high' ? u.matches[0]!.id : undefined;
    if (topic && urgent) this.answerTopic(turn, topic, { followUp: false, urgent: true, said });
    else if (topic) this.answerTopic(turn, topic, { followUp: true, said });
    else if (u.confidence === 'low') this.didYouMean(turn, u);
    else {
      turn.say({
        text: '読み取った文字からは、ご相談の内容が分かりませんでした。どんなことでお困りか、文章で書いていただけますか。人の相談員に画像を見てもらうこともできます。',
        choices: [COMMAND_CHOICES.handoff, COMMAND_CHOICES.menu],
      });
    }
  }

  /** Two topics fit almost equally: ask rather than guess. */
  private whichOne(turn: Turn, u: Understanding): void {
    const best = u.matches[0]!.score;
    const close = u.matches.filter((m) => m.id !== OUT_OF_SCOPE && best - m.score < CLOSE && this.kb.entry(m.id)).slice(0, 3);
    turn.say({
      text: 'どちらについてのご相談ですか？',
      choices: close.map((m) => ({ label: this.kb.entry(m.id)!.title, value: `topic:${m.id}` })),
    });
  }

  private consultPrompt(turn: Turn): void {
    const choices = CONSULT_EXAMPLES.filter((e) => this.kb.entry(e.topic)).map((e) => ({ label: e.label, value: `topic:${e.topic}` }));
    turn.say({
      text:
        'どのようなことでお困りですか？ 状況をそのまま書いてください。\n' +
        '（例: 「警告画面が出て消えない」「取引先から、うちの名前で変なメールが来たと言われた」）\n' +
        'よくあるご相談は下のボタンからも選べます。',
      choices,
    });
  }

  private didYouMean(turn: Turn, u: Understanding): void {
    const candidates = u.matches.filter((m) => m.id !== OUT_OF_SCOPE && m.score >= LOW && this.kb.entry(m.id)).slice(0, 3);
    const choices: Choice[] = candidates.map((m) => ({ label: this.kb.entry(m.id)!.title, value: `topic:${m.id}` }));
    choices.push(REPHRASE);
    if (this.bumpLowConfidence(turn)) choices.push(COMMAND_CHOICES.handoff);
    turn.say({ text: 'ご相談の内容は、次のどれに近いですか？', choices });
  }

  private notUnderstood(turn: Turn): void {
    const offerPerson = this.bumpLowConfidence(turn);
    turn.say({
      text:
        '申し訳ありません。そのご質問には、この窓口ではお答えできないようです。\n' +
        'この窓口では、ウイルス感染、不審なメール、偽の警告画面、不正アクセス、情報漏えい、日ごろの対策など、' +
        '会社の情報セキュリティのご相談にお答えしています。' +
        (offerPerson ? '\nうまくお答えできていないようでしたら、人の相談員と話すこともできます。' : ''),
      choices: [COMMAND_CHOICES.menu, COMMAND_CHOICES.handoff],
    });
  }

  /** Counts a low-confidence turn; true when a person should be offered now. */
  private bumpLowConfidence(turn: Turn): boolean {
    turn.conversation.lowConfidenceStreak += 1;
    return turn.conversation.lowConfidenceStreak >= OFFER_PERSON_AFTER;
  }
}
