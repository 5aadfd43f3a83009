/**
 * Numbering of distinct texts, for code that meets the same few texts many times (a billing
 * file's sections and products, a stored charge document's consumers): each text is hashed and
 * kept once, and looked up by its number after.
 */
import { detach } from './csv-tokenizer';

/**
 * Numbers each distinct text the first time it is seen, keeping a copy of it (the text may be a
 * view into a large piece of the file) and what `describe` says of it.
 */
export class TextNumbers<T = undefined> {
  private readonly numbers = new Map<string, number>();
  readonly texts: string[] = [];
  readonly facts: T[] = [];

  constructor(private readonly describe?: (text: string) => T) {}

  of(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      const kept = detach(text);
      this.numbers.set(kept, n);
      this.texts.push(kept);
      this.facts.push(this.describe ? this.describe(kept) : (undefined as T));
    }
    return n;
  }

  /** The rank of each number's text in the order of the texts. */
  ranks(): number[] {
    const ranks = new Array<number>(this.texts.length);
    const sorted = this.texts.map((_, n) => n).sort((a, b) => (this.texts[a] < this.texts[b] ? -1 : this.texts[a] > this.texts[b] ? 1 : 0));
    sorted.forEach((n, rank) => (ranks[n] = rank));
    return ranks;
  }
}

