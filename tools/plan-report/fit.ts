/**
 * Fits a Markdown document under a size limit by dropping whole list items,
 * never cutting inside one, so every `<details>`, code fence and quote stays
 * closed. Lists are shortened in priority order: details go before warnings.
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

export function fitDocument(blocks: readonly Block[], maxBytes: number, note: (hidden: number) => string): Fitted {
  const lists = blocks.filter(isList);
  const complete = render(blocks, new Map(lists.map((list) => [list, list.items.length])), "");
  if (bytes(complete) <= maxBytes) return { text: complete, hidden: 0 };

  const total = lists.reduce((sum, list) => sum + list.items.length, 0);
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
  return { text: bytes(text) <= maxBytes ? text : cutLines(text, maxBytes, note(hidden)), hidden };
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

/** Last resort when even the skeleton is too long (thousands of stacks): whole lines, then the note. */
function cutLines(text: string, maxBytes: number, noteText: string): string {
  const kept: string[] = [];
  let size = bytes(noteText) + 1;
  for (const line of text.split("\n")) {
    if (size + bytes(line) + 1 > maxBytes) break;
    kept.push(line);
    size += bytes(line) + 1;
  }
  return [...kept, noteText].join("\n");
}

function isList(block: Block): block is ItemList {
  return typeof block === "object";
}

/** UTF-8 bytes: never fewer than the characters GitHub counts, however it counts them. */
export function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
