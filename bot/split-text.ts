/** How long a text is, in the unit a channel counts (code points by default). */
export type Measure = (text: string) => number;

/** Characters as people see them... almost: code points, so an emoji is one. */
export const codePoints: Measure = (text) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** UTF-16 code units, as LINE counts a text message's length (an emoji like 🍎 is 2). */
export const utf16Units: Measure = (text) => text.length;

/**
 * Splits a long text into bubbles of at most `max` (in `measure`'s unit), at paragraph breaks
 * when it can, then at line breaks, then anywhere between two code points (never inside a
 * surrogate pair). Channels cap a message's length (LINE: 5,000 UTF-16 units) and a wall of
 * text is hard to read on a phone, so answers are split well below the caps.
 */
export function splitText(text: string, max = 1000, measure: Measure = codePoints): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push(current.trim());
    current = '';
  };
  for (const paragraph of text.split(/\n{2,}/)) {
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if (measure(joined) <= max) {
      current = joined;
      continue;
    }
    flush();
    if (measure(paragraph) <= max) {
      current = paragraph;
      continue;
    }
    // A paragraph longer than a bubble: fill bubbles line by line, cutting lines that are too long.
    for (const line of paragraph.split('\n')) {
      for (const piece of cut(line, max, measure)) {
        const next = current ? `${current}\n${piece}` : piece;
        if (measure(next) <= max) current = next;
        else {
          flush();
          current = piece;
        }
      }
    }
  }
  flush();
  return out;
}

/** A line in pieces of at most `max`, cut between code points (both measures add up per code point). */
function cut(line: string, max: number, measure: Measure): string[] {
  if (measure(line) <= max) return [line];
  const pieces: string[] = [];
  let piece = '';
  let size = 0;
  for (const ch of line) {
    const n = measure(ch);
    if (piece && size + n > max) {
      pieces.push(piece);
      piece = '';
      size = 0;
    }
    piece += ch;
    size += n;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
