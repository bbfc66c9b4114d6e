/**
 * Lossless line wrapping for the text plan: a value too long for the line continues on the next
 * lines, indented, and the pieces put back together are the value exactly (nothing dropped, nothing
 * added). Word-wrapping libraries collapse or drop whitespace, and plan values (JSON, ARNs, CIDR
 * lists) mostly have none to break at, so this breaks after separators, or anywhere as a last resort.
 */

/** Narrower than this, a deep value would wrap into a column of stubs; such lines overflow instead. */
const MIN_ROOM = 40;

/** Characters a line may end after, best first: between words or list items, then inside a name. */
const BREAK_AFTER = [new Set([" ", ","]), new Set(["/", ":", ";", "&", "|", "=", "-", "."])];

/** Where to end a line of at most `room` characters: after a separator in its last half, else hard. */
function breakAt(s: string, room: number): number {
  for (const chars of BREAK_AFTER) {
    for (let i = room; i > room / 2; i--) if (chars.has(s[i - 1])) return i;
  }
  return room;
}

function pieces(text: string, first: number, rest: number): string[] {
  const out: string[] = [];
  let room = first;
  let s = text;
  while (s.length > room) {
    const cut = breakAt(s, room);
    out.push(s.slice(0, cut));
    s = s.slice(cut);
    room = rest;
  }
  out.push(s);
  return out;
}

/** `prefix + text` on one line if it fits within `width`, else continued on lines starting with `indent`. */
export function wrapLine(prefix: string, text: string, indent: string, width: number): string[] {
  if (prefix.length + text.length <= width) return [prefix + text];
  const [head, ...tail] = pieces(text, Math.max(width - prefix.length, MIN_ROOM), Math.max(width - indent.length, MIN_ROOM));
  return [prefix + head, ...tail.map((t) => indent + t)];
}
