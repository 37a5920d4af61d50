import type { messagingApi } from '@line/bot-sdk';
import type { Card, Choice, StoredMessage } from '../../bot/types.js';
import { splitText, utf16Units } from '../../bot/split-text.js';

/**
 * The desk's neutral replies as LINE messages, within LINE's documented limits: text bubbles
 * up to 5,000 characters, at most 5 messages per reply or push call, at most 13 quick reply
 * items with labels of at most 20 characters, Flex bubbles (a carousel holds at most 12) with
 * an `altText` of at most 1,500 characters, postback data of at most 300 characters.
 *
 * LINE counts "characters" two ways ("Text character count" in its docs): texts (a message's
 * text, altText) in UTF-16 code units, so 🍎 is two; action labels and displayText in grapheme
 * clusters, so 👨‍👩‍👧 is one. Each limit below is checked in its own unit.
 */
export const LIMITS = {
  textChars: 5000,
  messagesPerCall: 5,
  quickReplyItems: 13,
  quickReplyLabel: 20,
  buttonLabel: 40,
  altText: 1500,
  carouselBubbles: 12,
  postbackData: 300,
  displayText: 300,
} as const;

/** One outgoing LINE message, and the transcript seq it comes from. */
export interface Outgoing {
  seq: number;
  message: messagingApi.Message;
}

/**
 * Renders the stored bot or adviser messages of a turn. Choices become quick replies on the
 * last message only (LINE shows the quick reply of the newest message); since they are also
 * answerable by typing, a label cut to fit still works when typed in full.
 */
export function renderMessages(messages: readonly StoredMessage[]): Outgoing[] {
  const out: Outgoing[] = [];
  for (const m of messages) {
    for (const part of splitText(m.text, LIMITS.textChars, utf16Units)) out.push({ seq: m.seq, message: { type: 'text', text: part } });
    if (m.cards?.length) out.push({ seq: m.seq, message: flex(m.cards) });
  }
  // Only the newest message's choices still apply: an earlier prompt was answered or moved on.
  const choices = messages[messages.length - 1]?.choices;
  const last = out[out.length - 1];
  if (last && choices?.length) (last.message as messagingApi.TextMessage).quickReply = quickReply(choices);
  return out;
}

/** Groups messages into API calls of at most five. */
export function batches(out: readonly Outgoing[]): Outgoing[][] {
  const groups: Outgoing[][] = [];
  for (let i = 0; i < out.length; i += LIMITS.messagesPerCall) groups.push(out.slice(i, i + LIMITS.messagesPerCall));
  return groups;
}

export function quickReply(choices: readonly Choice[]): messagingApi.QuickReply {
  return {
    items: choices.slice(0, LIMITS.quickReplyItems).map((c) => ({
      type: 'action',
      action: {
        type: 'postback',
        label: fit(c.label, LIMITS.quickReplyLabel),
        data: c.value.slice(0, LIMITS.postbackData),
        // Shown in the chat as if the user had typed it: the transcript reads naturally.
        displayText: fit(c.label, LIMITS.displayText),
      } as messagingApi.PostbackAction,
    })),
  };
}

/** Cards as one Flex bubble, or a carousel of them. */
function flex(cards: readonly Card[]): messagingApi.FlexMessage {
  const bubbles = cards.slice(0, LIMITS.carouselBubbles).map(bubble);
  const altText = fitUtf16(cards.map((c) => [c.title, c.body].filter(Boolean).join(': ')).join(' / '), LIMITS.altText);
  return {
    type: 'flex',
    altText,
    contents: bubbles.length === 1 ? bubbles[0]! : ({ type: 'carousel', contents: bubbles } as messagingApi.FlexCarousel),
  };
}

function bubble(card: Card): messagingApi.FlexBubble {
  const body: unknown[] = [{ type: 'text', text: card.title, weight: 'bold', size: 'md', wrap: true }];
  if (card.body) body.push({ type: 'text', text: card.body, size: 'sm', wrap: true, color: '#555555', margin: 'md' });
  // A LINE URI action opens http(s), tel and line: addresses only; a mail address stays in the text.
  const buttons = (card.buttons ?? []).filter((b) => !('url' in b) || /^(https?|tel|line):/i.test(b.url)).map((b) => ({
    type: 'button',
    style: 'link',
    height: 'sm',
    action:
      'url' in b
        ? { type: 'uri', label: fit(b.label, LIMITS.buttonLabel), uri: b.url }
        : { type: 'postback', label: fit(b.label, LIMITS.buttonLabel), data: b.value.slice(0, LIMITS.postbackData), displayText: b.label },
  }));
  return {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: body },
    ...(buttons.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons } } : {}),
  } as messagingApi.FlexBubble;
}

const graphemes = new Intl.Segmenter('ja', { granularity: 'grapheme' });

/** Cuts a label to `max` grapheme clusters (LINE's unit for labels), marking the cut with …. */
export function fit(text: string, max: number): string {
  const clusters = Array.from(graphemes.segment(text), (g) => g.segment);
  return clusters.length <= max ? text : clusters.slice(0, max - 1).join('') + '…';
}

/** Cuts a text to `max` UTF-16 units (LINE's unit for texts) without splitting a character, marking the cut with …. */
export function fitUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const g of graphemes.segment(text)) {
    if (out.length + g.segment.length > max - 1) break;
    out += g.segment;
  }
  return out + '…';
}
