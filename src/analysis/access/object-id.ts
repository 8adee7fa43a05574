/** A per-process number for an object, so combinations of shared objects can be Map keys. */
const ids = new WeakMap<object, number>();
let next = 1;

export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = next++;
    ids.set(o, id);
  }
  return id;
}
