import { HttpException } from '@nestjs/common';

/** What a promise rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Status and JSON body of the `HttpException` a promise rejected with (e.g. a guard's refusal). */
export async function httpFailureOf(
  promise: Promise<unknown>,
): Promise<{ status: number; body: unknown }> {
  const error = await rejectionOf(promise);
  if (!(error instanceof HttpException)) throw error;
  return { status: error.getStatus(), body: error.getResponse() };
}
