import { sessionErrorParts } from '../errors/session-error.parts';

/**
 * A refusal in a microservice (`rpc`) or unknown context as an RpcException. Without
 * @nestjs/microservices there is no such context to answer; the error then passes as it is
 * (still a refusal: the guard never lets such a request through).
 */
export async function toRpcException(error: unknown): Promise<unknown> {
  const parts = sessionErrorParts(error);
  if (!parts) return error;
  try {
    const { RpcException } = await import('@nestjs/microservices');
    return new RpcException({ status: 'error', ...parts });
  } catch {
    return error;
  }
}
