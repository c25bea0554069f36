import { WsException } from '@nestjs/websockets';
import { sessionErrorParts } from '../errors/session-error.parts';

/**
 * A session refusal as a WsException, which Nest's gateway filter emits to the client as an
 * `exception` event `{ status: 'error', code, message }`. Other errors pass unchanged.
 */
export function toWsException(error: unknown): unknown {
  const parts = sessionErrorParts(error);
  return parts ? new WsException({ status: 'error', ...parts }) : error;
}
