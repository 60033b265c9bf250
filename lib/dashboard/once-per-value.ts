/**
 * `make`, made once per set of arguments, compared by identity and kept only while they are.
 * The read cache hands every request of a data version the same summary, rows and owner lists,
 * so a view model made from them is made once per version instead of on every page view, and
 * exact for the same reason the cache is: a new version brings new objects.
 */
export function oncePerValue<Args extends object[], R>(make: (...args: Args) => R): (...args: Args) => R {
  interface Node {
    next: WeakMap<object, Node>;
    made?: { value: R };
  }
  const root: Node = { next: new WeakMap() };
  return (...args) => {
    let node = root;
    for (const arg of args) {
      let next = node.next.get(arg);
      if (!next) node.next.set(arg, (next = { next: new WeakMap() }));
      node = next;
    }
    node.made ??= { value: make(...args) };
    return node.made.value;
  };
}
