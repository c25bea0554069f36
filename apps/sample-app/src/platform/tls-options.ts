import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config';

/** The key and certificate of TLS_KEY_FILE and TLS_CERT_FILE, read once at start; or none. */
export function tlsOptionsOf(config: AppConfig): { key: Buffer; cert: Buffer } | undefined {
  if (!config.tls) return undefined;
  return { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) };
}
