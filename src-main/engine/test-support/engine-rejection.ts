import { expect } from 'vitest';
import { EngineError, type ErrorCode } from '../errors';

/** Awaits a promise that must reject with an EngineError (of `code`, when given) and returns it. */
export async function engineRejection(
  promise: Promise<unknown>,
  code?: ErrorCode,
): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  if (code) expect((error as EngineError).code).toBe(code);
  return error as EngineError;
}
