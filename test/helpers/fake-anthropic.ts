/**
 * The loopback Anthropic-compatible server used by tests (also used by `npm run demo`).
 *
 * @see ../../examples/fake-anthropic.ts
 */
export * from "../../examples/fake-anthropic.js";
