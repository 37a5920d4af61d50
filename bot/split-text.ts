/**
 * Splits a long text into bubbles of at most `max` characters, at paragraph breaks when it
 * can, then at line breaks, then anywhere. Channels cap a message's length (LINE: 5,000) and
 * a wall of text is hard to read on a phone, so answers are split well below the caps.
 */
export function splitText(text: string, max = 1000): string[] {
  if (max < 1) throw new RangeError('max must be positive');
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push(current.trim());
    current = '';
  };
  for (const paragraph of text.split(/\n{2,}/)) {
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if ([...joined].length <= max) {
      current = joined;
      continue;
    }
    flush();
    if ([...paragraph].length <= max) {
      current = paragraph;
      continue;
    }
    // A paragraph longer than a bubble: fill bubbles line by line, cutting lines that are too long.
    for (const line of paragraph.split('\n')) {
      const chars = [...line];
      for (let i = 0; i < chars.length || i === 0; i += max) {
        const piece = chars.slice(i, i + max).join('');
        const next = current ? `${current}\n${piece}` : piece;
        if ([...next].length <= max) current = next;
        else {
          flush();
          current = piece;
        }
        if (chars.length === 0) break;
      }
    }
  }
  flush();
  return out;
}
