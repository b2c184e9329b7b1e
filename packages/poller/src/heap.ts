/** A binary min-heap by `dueAt`: the job to look at next is always on top. */
export class DueHeap<T extends { dueAt: number }> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((items[parent] as T).dueAt <= item.dueAt) break;
      items[at] = items[parent] as T;
      at = parent;
    }
    items[at] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length && last) {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && (items[right] as T).dueAt < (items[left] as T).dueAt ? right : left;
        if ((items[child] as T).dueAt >= last.dueAt) break;
        items[at] = items[child] as T;
        at = child;
      }
      items[at] = last;
    }
    return top;
  }
}
