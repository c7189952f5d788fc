/**
 * Defers loading a dependency until its first use, so that importing the library does not pay for
 * modules a caller may never need (the file lock and atomic writer are used only by writes).
 *
 * @param load - imports the module (called at most once while it succeeds)
 * @returns a function giving the loaded module; a failed load is retried on the next call
 * @internal
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    if (loading === null) {
      const started = load();
      loading = started;
      started.catch(() => {
        if (loading === started) loading = null;
      });
    }
    return loading;
  };
}
