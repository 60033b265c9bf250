/**
 * Starts an async iterable and waits for its first result before returning, so
 * an export fails with a proper status (503) when the database cannot answer,
 * instead of a 200 followed by a broken download. The first result is replayed.
 */
export async function primedIterator<T>(iterable: AsyncIterable<T>): Promise<AsyncIterator<T>> {
  const iterator = iterable[Symbol.asyncIterator]();
  let pending: IteratorResult<T> | undefined = await iterator.next();
  return {
    next() {
      if (pending) {
        const result = pending;
        pending = undefined;
        return Promise.resolve(result);
      }
      return iterator.next();
    },
    async return(value?: unknown) {
      pending = undefined;
      return iterator.return ? iterator.return(value) : { done: true, value: value as T };
    },
  };
}
