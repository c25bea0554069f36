/**
 * Signature algorithms a proof may use: asymmetric only (RFC 9449 §4.2). jose refuses `none`
 * whatever the list; HS256 and the other symmetric ones are not listed, so they are refused too.
 */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
];
