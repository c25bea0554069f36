/**
 * `@nest-session/core/device-bound`: Device Bound Session Credentials (W3C DBSC draft) for cookie
 * sessions, with the `deviceBound` option. No extra peer: proofs are checked with `jose`.
 */
export {
  DeviceBoundSessions,
  type DbscSessionInstructions,
} from '../security/dbsc/device-bound-sessions';
export { DeviceProofFailedException } from '../errors/session.exceptions';
