/** Effect-style modules: variance annotations, dual (overloaded) APIs, template literal types. */
import { dual } from './Function.ts';

export interface Effect<out A, out E = never, in out R = never> {
  readonly value: A;
}

export const map: {
  <A, B>(f: (a: A) => B): <E, R>(self: Effect<A, E, R>) => Effect<B, E, R>
  /**
   * Data first.
   */
  <
    A,
    E,
    R,
    B,
  >(self: Effect<A, E, R>, f: (a: A) => B): Effect<B, E, R>
} = dual(2, (self, f) => ({ value: f(self.value) }));

export const as: {
  <B>(value: B): <A, E, R>(self: Effect<A, E, R>) => Effect<B, E, R>
  <A, E, R, B>(self: Effect<A, E, R>, value: B): Effect<B, E, R>
} = dual(2, <A, E, R, B>(_self: Effect<A, E, R>, value: B): Effect<B, E, R> => ({ value }));

type MissingSelf<Usage extends string> = `Missing \`Self\` generic - use \`class Self extends ${Usage}<Self>\``;

export const instanceOf =
  <K extends new (...args: any) => any>(constructor: K) =>
  <Input>(u: Input): u is InstanceType<K> =>
    u instanceof constructor;

export function succeed<A>(value: A): Effect<A> {
  return { value };
}

export declare const TypeId: unique symbol;
declare const internalId: unique symbol;

export const defaults: {
  // tuned on the test suite
  readonly retries: number;
} = { retries: 3 };
