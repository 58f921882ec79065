/**
 * Fits a Markdown document under a size limit by dropping whole list items,
 * never cutting inside one, so every `<details>`, code fence and quote stays
 * closed. Lists are shortened in priority order: details go before warnings.
 *
 * The head of a document, its leading lines up to the first empty one (the
 * report's marker and heading with the verdict), is always kept whole, and so
 * is the note that says what was left out: a limit too small for the two
 * together is refused (see `smallestLimit`), never met by cutting them.
 */

/** Lines that may be shortened from the end, keeping whole items. */
export interface ItemList {
  /** Lists with a lower number keep their items first. */
  readonly priority: number;
  /** Each item is one or more whole lines. */
  readonly items: readonly string[];
  /** The line that stands for the items that did not fit. */
  readonly more: (hidden: number) => string;
}

/** Where the note about shortening goes, when there is one. */
export const NOTE_SLOT = Symbol("note");

export type Block = string | ItemList | typeof NOTE_SLOT;

export interface Fitted {
  readonly text: string;
  /** Items left out; 0 when everything fitted. */
  readonly hidden: number;
}

/**
 * The smallest `maxBytes` that `fitDocument` can honour: the whole document,
 * or else its head and the note at its longest (every item left out).
 */
export function smallestLimit(blocks: readonly Block[], note: (hidden: number) => string): number {
  const lists = blocks.filter(isList);
  const complete = bytes(render(blocks, new Map(lists.map((list) => [list, list.items.length])), ""));
  return Math.min(complete, bytes([...head(blocks), note(itemCount(lists))].join("\n")));
}

export function fitDocument(blocks: readonly Block[], maxBytes: number, note: (hidden: number) => string): Fitted {
  const smallest = smallestLimit(blocks, note);
  if (maxBytes < smallest) {
    throw new RangeError(`a limit of ${maxBytes} bytes cannot hold the document's head and note; the smallest is ${smallest}`);
  }
  const lists = blocks.filter(isList);
  const complete = render(blocks, new Map(lists.map((list) => [list, list.items.length])), "");
  if (bytes(complete) <= maxBytes) return { text: complete, hidden: 0 };

  const total = itemCount(lists);
  // Room for everything but the items, counting each `more` line and the note at their longest.
  const fixed = bytes(render(blocks, new Map(lists.map((list) => [list, 0])), note(total)));
  let room = maxBytes - fixed;
  const shown = new Map<ItemList, number>(lists.map((list) => [list, 0]));
  for (const list of [...lists].sort((a, b) => a.priority - b.priority)) {
    let count = 0;
    for (const item of list.items) {
      const size = bytes(item) + 1;
      if (size > room) break;
      room -= size;
      count++;
    }
    shown.set(list, count);
  }
  const hidden = total - [...shown.values()].reduce((sum, count) => sum + count, 0);
  const text = render(blocks, shown, note(hidden));
  if (bytes(text) <= maxBytes) return { text, hidden };
  // The note goes last, once, instead of in its slot.
  return { text: cutLines(render(blocks, shown, ""), maxBytes, note(hidden), head(blocks).length), hidden };
}

/** The leading lines up to the first empty line or list. */
function head(blocks: readonly Block[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (typeof block !== "string" || block === "") break;
    lines.push(block);
  }
  return lines;
}

function itemCount(lists: readonly ItemList[]): number {
  return lists.reduce((sum, list) => sum + list.items.length, 0);
}

function render(blocks: readonly Block[], shown: ReadonlyMap<ItemList, number>, noteText: string): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block === NOTE_SLOT) {
      if (noteText !== "") lines.push(noteText);
    } else if (typeof block === "string") {
      lines.push(block);
    } else {
      const count = shown.get(block) ?? 0;
      lines.push(...block.items.slice(0, count));
      if (count < block.items.length) lines.push(block.more(block.items.length - count));
    }
  }
  return lines.join("\n");
}

/**
 * Last resort when even the skeleton is too long (thousands of stacks): the
 * head, then whole blocks while they fit, then the note. A cut falls only
 * after an empty line outside any `<details>`, so nothing is left open and
 * the note is never folded away.
 */
function cutLines(text: string, maxBytes: number, noteText: string, headLength: number): string {
  const lines = text.split("\n");
  let keep = headLength;
  // Bytes of lines[0..index] plus one newline each (the last one before the note).
  let size = bytes(noteText);
  let depth = 0;
  for (const [index, line] of lines.entries()) {
    size += bytes(line) + 1;
    if (index >= headLength && size > maxBytes) break;
    depth += (line.match(/<details[\s>]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    if (index >= headLength && line === "" && depth <= 0) keep = index + 1;
  }
  return [...lines.slice(0, keep), noteText].join("\n");
}

function isList(block: Block): block is ItemList {
  return typeof block === "object";
}

/** UTF-8 bytes: never fewer than the characters GitHub counts, however it counts them. */
export function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
