import { CASES, CaseStateError, OUTCOMES, positionOf, queueOrder, summarize, type Case, type CaseOutcome, type CaseStatus } from '../../bot/cases.js';
import type { ApplyContext, Desk } from '../../bot/desk.js';
import { pushIsMetered } from '../../bot/channels.js';
import { randomUUID } from 'node:crypto';
import { claimCase, closeCase, openCase, returnCase, transferCase } from '../../bot/handoff.js';
import type { Logger } from '../../bot/logger.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { Store } from '../../bot/store.js';
import type { StoredMessage } from '../../bot/types.js';
import type { StoredAttachment } from '../../bot/attachments.js';
import { COMMAND_CHOICES } from '../../dialogs/commands.js';
import { satisfactionPrompt } from '../../dialogs/satisfaction.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { answerReplies } from '../../knowledge/render.js';
import { ApiError } from '../http/errors.js';
import type { LineChannel } from '../line/line-channel.js';
import type { Undelivered } from '../line/line-delivery.js';
import { INCIDENTS, STATUS_LABEL as REFERRAL_STATUSES, type IncidentRecord, type ReferralStatus } from '../../dialogs/incident/record.js';
import { factLines } from '../../dialogs/incident/sheet.js';
import type { Advisers } from './advisers.js';
import type { AuditLog } from './audit.js';
import type { Actor } from './console-auth.js';

/** A case as the queue lists it. */
export interface CaseListItem extends Case {
  /** Place in line, for waiting cases. */
  position?: number;
  waitingSeconds?: number;
}

export interface CaseDetail {
  case: CaseListItem;
  transcript: StoredMessage[];
  /** LINE messages that did not surely reach the user (blocked, unknown outcome, errors). */
  undelivered: Undelivered[];
  /** LINE messages waiting for the user's next message (the month's push quota is spent). */
  held: number[];
  /** The user's name on their channel (LINE display name), when known. */
  userName?: string;
  /** The conversation's latest triaged incident, with its referrals (advisers move their status on) and its facts in words. */
  incident?: IncidentRecord & { facts: string[] };
}

const notFound = () => new ApiError(404, 'not_found', 'この相談は見つかりません。');
const conflict = (e: CaseStateError) => new ApiError(409, 'wrong_state', e.message);
const MAX_TEXT = 2000;

/**
 * What advisers do in the console, with the checks that make it safe: a case is only ever seen
 * or changed by advisers of its org (anything else is "not found"), every change runs in the
 * conversation's queue together with the messages it produces, a change that does not fit the
 * case's state is refused with a Japanese reason (409), and each action is audited.
 */
export class ConsoleService {
  private readonly pendingOrgs = new Set<string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly o: {
      desk: Desk;
      store: Store;
      kb: KnowledgeBase;
      advisers: Advisers;
      audit: AuditLog;
      bus: MessageBus;
      log: Logger;
      /** The LINE channel, when it is on (delivery marks, resending, display names). */
      line?: LineChannel;
      clock?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.o.clock?.() ?? new Date();
  }

  /** Keeps waiting users told of their place in line whenever a case of their org changes. */
  start(): void {
    this.unsubscribe = this.o.bus.subscribeAll((e) => {
      if (!e.documents?.some((d) => d.collection === CASES)) return;
      const org = e.conversation.org;
      if (this.pendingOrgs.has(org)) return;
      this.pendingOrgs.add(org);
      setImmediate(() => {
        this.pendingOrgs.delete(org);
        this.tellPositions(org).catch((err) => this.o.log.error({ err, org }, 'queue positions could not be sent'));
      });
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async listCases(actor: Actor, status: CaseStatus): Promise<CaseListItem[]> {
    const statuses = status === 'closed' ? ['closed', 'returned'] : [status];
    const cases = await this.o.store.documents<Case>(CASES).find({ org: actor.org, status: statuses }, 5000);
    if (status === 'waiting') {
      const now = this.now().getTime();
      return cases.sort(queueOrder).map((c, i) => ({ ...c, position: i + 1, waitingSeconds: Math.round((now - Date.parse(c.createdAt)) / 1000) }));
    }
    const when = (c: Case) => c.closedAt ?? c.claimedAt ?? c.createdAt;
    return cases.sort((a, b) => (when(a) < when(b) ? 1 : -1)).slice(0, status === 'closed' ? 200 : undefined);
  }

  async detail(actor: Actor, id: string): Promise<CaseDetail> {
    const c = await this.caseOf(actor, id);
    const transcript = await this.withReadText(await this.o.store.listMessages(c.conversationId, 0, 2000));
    const line = c.channel === 'line' ? this.o.line : undefined;
    const delivery = line ? await line.deliveryOf(c.conversationId) : { undelivered: [], held: [] };
    const conversation = line ? await this.o.store.getConversation(c.conversationId) : null;
    const userName = line && conversation ? await line.profiles.nameOf(conversation.key) : undefined;
    await this.audit(actor, 'view', c.id);
    let position: number | undefined;
    if (c.status === 'waiting') position = positionOf(await this.o.store.documents<Case>(CASES).find({ org: c.org, status: 'waiting' }), c);
    const incidentId = (conversation ?? (await this.o.store.getConversation(c.conversationId)))?.incidents?.at(-1)?.id;
    const incident = incidentId ? await this.o.store.documents<IncidentRecord>(INCIDENTS).get(incidentId) : null;
    return {
      case: { ...c, ...(position ? { position } : {}) },
      transcript,
      ...delivery,
      ...(userName ? { userName } : {}),
      ...(incident && incident.org === actor.org ? { incident: { ...incident, facts: factLines(incident.answers) } } : {}),
    };
  }

  /**
   * Moves a referral of an incident on (suggested → contacted → closed, or back). Advisers of
   * the incident's org only; anything else is "not found". Audited.
   */
  async setReferralStatus(actor: Actor, incidentId: string, referralId: string, status: unknown): Promise<IncidentRecord> {
    if (typeof status !== 'string' || !Object.hasOwn(REFERRAL_STATUSES, status)) {
      throw new ApiError(400, 'bad_status', 'status は suggested（提案）/ contacted（連絡済み）/ closed（完了）のどれかです。');
    }
    const found = await this.o.store.documents<IncidentRecord>(INCIDENTS).get(incidentId);
    if (!found || found.org !== actor.org) throw new ApiError(404, 'not_found', 'このインシデントは見つかりません。');
    let updated: IncidentRecord | undefined;
    await this.o.desk.apply(found.conversationId, async (ctx) => {
      const fresh = (await ctx.read<IncidentRecord>(INCIDENTS, incidentId))!;
      const referral = fresh.referrals.find((r) => r.id === referralId);
      if (!referral) throw new ApiError(404, 'not_found', 'この連絡先は見つかりません。');
      referral.status = status as ReferralStatus;
      referral.updatedAt = ctx.now.toISOString();
      referral.updatedBy = actor.name;
      ctx.save(INCIDENTS, fresh.id, fresh);
      updated = fresh;
    });
    await this.audit(actor, 'referral', undefined, `${incidentId} ${referralId} → ${REFERRAL_STATUSES[status as ReferralStatus]}`);
    return updated!;
  }

  /** The transcript's attachments as they are now: with the text read from them since the message was stored. */
  private async withReadText(messages: StoredMessage[]): Promise<StoredMessage[]> {
    return Promise.all(
      messages.map(async (m) =>
        m.attachments?.length ? { ...m, attachments: await Promise.all(m.attachments.map(async (a) => (await this.o.store.attachmentInfo(a.id))?.ref ?? a)) } : m,
      ),
    );
  }

  /** An attachment of the actor's org (bytes and record); anything else is "not found". */
  async attachment(actor: Actor, id: string): Promise<{ attachment: StoredAttachment; data: Buffer }> {
    const found = await this.o.store.getAttachment(id);
    if (!found || found.attachment.org !== actor.org) throw new ApiError(404, 'not_found', 'このファイルは見つかりません。');
    return found;
  }

  /**
   * Sends LINE messages again that did not surely arrive (unknown outcome, an error). Only the
   * adviser in charge (or an admin) may, as for any message to the user.
   */
  async resend(actor: Actor, id: string, seqs: unknown): Promise<number[]> {
    const c = await this.caseOf(actor, id);
    if (!Array.isArray(seqs) || seqs.length === 0 || seqs.length > 100 || !seqs.every((s) => Number.isInteger(s) && s > 0)) {
      throw new ApiError(400, 'bad_seqs', 'seqs に再送するメッセージの番号（整数の配列）を指定してください。');
    }
    const conversation = await this.o.store.getConversation(c.conversationId);
    if (c.channel !== 'line' || !this.o.line || !conversation) throw new ApiError(409, 'not_line', '再送できるのは LINE の相談だけです。');
    try {
      this.requireAssignee(actor, c);
    } catch (e) {
      if (e instanceof CaseStateError) throw conflict(e);
      throw e;
    }
    let sent: number[];
    try {
      sent = await this.o.line.resend(conversation, seqs as number[]);
    } catch (e) {
      this.o.log.warn({ err: e, case: id }, 'LINE resend failed');
      throw new ApiError(502, 'line_failed', 'LINE に送れませんでした。今月の送信上限に達しているか、LINE が応答していません。利用者が次にメッセージを送ったときにお返事ください。');
    }
    if (sent.length === 0) throw new ApiError(409, 'nothing_to_resend', '再送が必要なメッセージはありません。');
    await this.audit(actor, 'resend', id, `${sent.length}件`);
    return sent;
  }

  /** The adviser takes the case: the user is told a person has joined; the bot falls silent. */
  async claim(actor: Actor, id: string): Promise<Case> {
    const c = await this.change(actor, id, (fresh, ctx) => {
      claimCase(ctx.conversation, fresh, actor, ctx.now);
      ctx.say('bot', `相談員の${actor.name}がおつなぎしました。ここからは相談員がお答えします。`);
    });
    await this.audit(actor, 'claim', id);
    return c;
  }

  async send(actor: Actor, id: string, text: string): Promise<StoredMessage> {
    let body = '';
    let sent: StoredMessage | undefined;
    // The text is checked once the case is found: an unknown case is 404 before a bad text is 400.
    await this.change(actor, id, (fresh, ctx) => {
      body = cleanText(text);
      this.requireAssignee(actor, fresh);
      ctx.say('adviser', body, actor.name);
    }, (messages) => (sent = messages.find((m) => m.from === 'adviser')));
    await this.audit(actor, 'send', id, `${body.length}文字`);
    return sent!;
  }

  /** An internal note on the case: advisers of the org see it, the user never does. */
  async note(actor: Actor, id: string, text: string): Promise<Case> {
    const c = await this.change(actor, id, (fresh, ctx) => {
      fresh.notes.push({ adviserId: actor.id, adviserName: actor.name, text: cleanText(text), at: ctx.now.toISOString() });
    });
    await this.audit(actor, 'note', id);
    return c;
  }

  async transfer(actor: Actor, id: string, adviserId: string): Promise<Case> {
    const to = await this.o.advisers.get(adviserId);
    if (!to || to.org !== actor.org) throw new ApiError(404, 'unknown_adviser', '引き継ぎ先の相談員が見つかりません。');
    const c = await this.change(actor, id, (fresh, ctx) => {
      this.requireAssignee(actor, fresh);
      transferCase(fresh, to);
      ctx.say('bot', `担当の相談員が${to.name}に代わりました。`);
    });
    await this.audit(actor, 'transfer', id, `→ ${to.name}`);
    return c;
  }

  /** Back to the bot: it says so and answers again from the next message. */
  async giveBack(actor: Actor, id: string): Promise<Case> {
    const c = await this.change(actor, id, (fresh, ctx) => {
      this.requireAssignee(actor, fresh);
      returnCase(ctx.conversation, fresh, ctx.now);
      ctx.say('bot', {
        text: '相談員との会話を終え、ボットの案内に戻りました。ほかに気になることがあれば、いつでも書いてください。',
        choices: [COMMAND_CHOICES.menu, COMMAND_CHOICES.handoff],
      });
    });
    await this.audit(actor, 'return', id);
    return c;
  }

  /** Ends the case with an outcome, then asks the user how it went (1-5). */
  async close(actor: Actor, id: string, outcome: string): Promise<Case> {
    if (!(outcome in OUTCOMES) || outcome === 'withdrawn') {
      throw new ApiError(400, 'bad_outcome', '結果は resolved（解決）/ advised（助言済）/ referred（外部へ紹介）/ unable（対応不可）のどれかです。');
    }
    const c = await this.change(actor, id, (fresh, ctx) => {
      if (fresh.status === 'active') this.requireAssignee(actor, fresh);
      closeCase(ctx.conversation, fresh, outcome as CaseOutcome, ctx.now);
      const { frame, reply } = satisfactionPrompt(fresh.id);
      ctx.conversation.dialogs = [frame];
      ctx.say('bot', reply);
    });
    await this.audit(actor, 'close', id, OUTCOMES[outcome as CaseOutcome]);
    return c;
  }

  /** The org's latest conversations, for an adviser to step into one nobody asked about yet. */
  async recentConversations(actor: Actor): Promise<{ id: string; channel: string; owner: string; updatedAt: string; topic?: string; lastUserText?: string; caseId?: string }[]> {
    const list = await this.o.store.recentConversations(actor.org, 50);
    return Promise.all(
      list.map(async (c) => {
        const recent = c.lastSeq ? await this.o.store.listMessages(c.id, Math.max(0, c.lastSeq - 20), 20) : [];
        const lastUser = recent.filter((m) => m.from === 'user').at(-1);
        const topic = c.topics.at(-1)?.topic;
        return {
          id: c.id,
          channel: c.channel,
          owner: c.owner,
          updatedAt: c.updatedAt,
          ...(topic ? { topic: this.o.kb.entry(topic)?.title ?? topic } : {}),
          ...(lastUser ? { lastUserText: lastUser.text } : {}),
          ...(c.handoff ? { caseId: c.handoff.caseId } : {}),
        };
      }),
    );
  }

  /**
   * The adviser steps into a conversation on their own initiative: a case is opened for it,
   * already theirs, and the user is told a person has joined.
   */
  async pickUp(actor: Actor, conversationId: string): Promise<Case> {
    const conversation = await this.o.store.getConversation(conversationId);
    if (!conversation || conversation.org !== actor.org) throw new ApiError(404, 'not_found', 'この会話は見つかりません。');
    let created: Case | undefined;
    try {
      await this.o.desk.apply(conversationId, async (ctx) => {
        const conv = ctx.conversation;
        if (conv.handoff) throw new CaseStateError('この会話には、すでに相談（待機中か対応中）があります。一覧から開いてください。');
        const recent = conv.lastSeq ? await this.o.store.listMessages(conv.id, Math.max(0, conv.lastSeq - 60), 60) : [];
        const c: Case = {
          id: randomUUID(),
          org: conv.org,
          conversationId: conv.id,
          channel: conv.channel,
          status: 'waiting',
          priority: conv.topics.some((t) => t.urgent) ? 'urgent' : 'normal',
          reason: 'adviser',
          createdAt: ctx.now.toISOString(),
          duringHours: true,
          intake: { consent: false },
          summary: summarize(conv, recent, (t) => this.o.kb.entry(t)?.title),
          notes: [],
        };
        openCase(conv, c);
        claimCase(conv, c, actor, ctx.now);
        ctx.say('bot', `相談員の${actor.name}が、このチャットに加わりました。ここからは相談員がお答えします。`);
        ctx.save(CASES, c.id, c);
        created = c;
      });
    } catch (e) {
      if (e instanceof CaseStateError) throw conflict(e);
      throw e;
    }
    await this.audit(actor, 'claim', created!.id, '会話に自分から参加');
    return created!;
  }

  /** Knowledge entries for a question, with the answer text ready to edit and send. */
  searchKnowledge(q: string): { id: string; title: string; summary: string; text: string }[] {
    if (!q.trim()) return [];
    return this.o.kb
      .understand(q)
      .matches.filter((m) => this.o.kb.entry(m.id))
      .slice(0, 5)
      .map((m) => {
        const e = this.o.kb.entry(m.id)!;
        return { id: e.id, title: e.title, summary: e.summary, text: answerReplies(e)[0]!.text };
      });
  }

  /** Tells each waiting user of the org their new place when it moved (where a push costs nothing). */
  async tellPositions(org: string): Promise<void> {
    const waiting = (await this.o.store.documents<Case>(CASES).find({ org, status: 'waiting' }, 5000)).sort(queueOrder);
    for (const [i, c] of waiting.entries()) {
      const place = i + 1;
      // Where a push is paid for (LINE), the user hears the new place with the next reply instead.
      if (c.toldPosition === place || pushIsMetered(c.channel)) continue;
      await this.o.desk.apply(c.conversationId, async (ctx) => {
        const fresh = await ctx.read<Case>(CASES, c.id);
        if (!fresh || fresh.status !== 'waiting' || fresh.toldPosition === place) return;
        const moved = fresh.toldPosition !== undefined && place < fresh.toldPosition;
        fresh.toldPosition = place;
        ctx.save(CASES, fresh.id, fresh);
        ctx.say('bot', moved ? `順番が進みました。現在 ${place} 番目です。もうしばらくお待ちください。` : `お待たせしています。現在 ${place} 番目です。`);
      });
    }
  }

  /** The case, if the actor's org owns it; anything else is "not found". */
  private async caseOf(actor: Actor, id: string): Promise<Case> {
    const c = await this.o.store.documents<Case>(CASES).get(id);
    if (!c || c.org !== actor.org) throw notFound();
    return c;
  }

  /**
   * Runs a change on a case and its conversation in the conversation's queue, reading the case
   * afresh there: what was checked is what gets changed.
   */
  private async change(
    actor: Actor,
    id: string,
    work: (fresh: Case, ctx: ApplyContext) => void,
    onMessages?: (messages: StoredMessage[]) => void,
  ): Promise<Case> {
    const c = await this.caseOf(actor, id);
    let result: Case | undefined;
    try {
      const r = await this.o.desk.apply(c.conversationId, async (ctx) => {
        const fresh = (await ctx.read<Case>(CASES, id))!;
        work(fresh, ctx);
        ctx.save(CASES, fresh.id, fresh);
        result = fresh;
      });
      if (!r) throw notFound();
      onMessages?.(r.messages);
    } catch (e) {
      if (e instanceof CaseStateError) throw conflict(e);
      throw e;
    }
    return result!;
  }

  private requireAssignee(actor: Actor, c: Case): void {
    if (c.status === 'active' && c.adviserId !== actor.id && actor.role !== 'admin') {
      throw new CaseStateError(`この相談は${c.adviserName ?? '別の相談員'}さんが担当しています。`);
    }
    if (c.status !== 'active') throw new CaseStateError('この相談は対応中ではありません。先に「担当する」を押してください。');
  }

  private audit(actor: Actor, action: Parameters<AuditLog['record']>[0]['action'], caseId?: string, detail?: string): Promise<void> {
    return this.o.audit.record({ org: actor.org, adviserId: actor.id, adviserName: actor.name, action, ...(caseId ? { caseId } : {}), ...(detail ? { detail } : {}) });
  }
}

function cleanText(text: unknown): string {
  if (typeof text !== 'string' || !text.trim()) throw new ApiError(400, 'empty_text', 'メッセージが空です。');
  const t = text.replace(/\r\n?/g, '\n').trim();
  if ([...t].length > MAX_TEXT) throw new ApiError(400, 'text_too_long', `メッセージは ${MAX_TEXT} 文字以内にしてください。`);
  return t;
}
