import * as v from "valibot";

/**
 * Defers building a value (a schema, a table) until its first use, then keeps it, so that importing
 * the library does not pay for what a caller may never need.
 *
 * @param build - makes the value; called at most once
 * @returns a function giving the value (built on its first call)
 * @internal
 */
export function once<T>(build: () => T): () => T {
  let built: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      built = build();
      done = true;
    }
    return built as T;
  };
}

/**
 * A schema built on its first use: the valibot schema `build` returns is made the first time the
 * schema runs, then kept. Validation runs the built schema unchanged, so issues, messages and paths
 * are exactly the built schema's.
 *
 * @remarks
 * Only for a schema that is parsed at the top (`v.safeParse(schema, …)`, `checkArgument`) or wrapped
 * in `v.optional`: the wrapper's own `type` is `lazy` and its `expects` is `unknown`, so it must not
 * stand directly as an optional object entry nor as a `v.union` option (compose those from the
 * built parts instead).
 *
 * @param build - makes the schema; called at most once
 * @returns a lazy schema running the built one
 * @internal
 */
export function lazySchema<TSchema extends v.GenericSchema>(build: () => TSchema): v.LazySchema<TSchema> {
  return v.lazy(once(build));
}
