/** Small graph algorithms over node ids, shared by the checker rules. */

export type Adjacency = Map<string, string[]>;

export function reachableFrom(starts: Iterable<string>, next: Adjacency): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const n of next.get(id) ?? []) if (!seen.has(n)) stack.push(n);
  }
  return seen;
}

/** Strongly connected components (Tarjan, iterative so large flows cannot overflow the stack). */
export function stronglyConnected(ids: readonly string[], next: Adjacency): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; i: number }> = [{ id: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; i: number };
      const successors = next.get(frame.id) ?? [];
      if (frame.i < successors.length) {
        const w = successors[frame.i++] as string;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(w) as number));
        }
      } else {
        work.pop();
        const parent = work[work.length - 1];
        if (parent)
          low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
        if (low.get(frame.id) === index.get(frame.id)) {
          const component: string[] = [];
          let w: string;
          do {
            w = stack.pop() as string;
            onStack.delete(w);
            component.push(w);
          } while (w !== frame.id);
          components.push(component);
        }
      }
    }
  }
  return components;
}

/** Whether each left item can be matched to a distinct right item (Kuhn's augmenting paths). */
export function hasPerfectMatching(options: ReadonlyArray<ReadonlyArray<number>>): boolean {
  const owner = new Map<number, number>();
  const tryAssign = (left: number, seen: Set<number>): boolean => {
    for (const right of options[left] ?? []) {
      if (seen.has(right)) continue;
      seen.add(right);
      const current = owner.get(right);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(right, left);
        return true;
      }
    }
    return false;
  };
  return options.every((_, left) => tryAssign(left, new Set()));
}
