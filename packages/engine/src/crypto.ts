// Credentials at rest: AES-256-GCM with a random 96-bit IV per encryption, the key id stored
// beside the ciphertext, and a key ring (several keys, one primary) so keys can be rotated:
// decrypt with the key the value names, encrypt with the primary.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors.ts';
import { registerEncryptedSecret } from './log-tap.ts';

export interface KeyRing {
  primaryId: string;
  has(id: string): boolean;
  encrypt(plaintext: string): { keyId: string; ciphertext: string };
  decrypt(keyId: string, ciphertext: string): string;
}

/**
 * Parses "id1:base64key,id2:base64key" (each key 32 bytes). The primary is `primaryId` or the
 * first key listed.
 */
export function parseKeyRing(spec: string, primaryId?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const separator = part.indexOf(':');
    const id = part.slice(0, separator);
    const key = Buffer.from(part.slice(separator + 1), 'base64');
    if (separator <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id))
      throw new AppError('VALIDATION', 'Encryption keys must look like id:base64key');
    if (key.length !== 32)
      throw new AppError('VALIDATION', `Encryption key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    keys.set(id, key);
  }
  const primary = primaryId ?? keys.keys().next().value;
  if (!primary || !keys.has(primary))
    throw new AppError('VALIDATION', 'The primary encryption key is not in the key ring');
  return createKeyRing(keys, primary);
}

export function createKeyRing(keys: Map<string, Buffer>, primaryId: string): KeyRing {
  return {
    primaryId,
    has: (id) => keys.has(id),
    encrypt(plaintext) {
      // Test runs only (no-op otherwise): what is worth encrypting must never show up in a log line.
      registerEncryptedSecret(plaintext);
      const key = keys.get(primaryId)!;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return {
        keyId: primaryId,
        ciphertext: `v1.${iv.toString('base64url')}.${tag.toString('base64url')}.${data.toString('base64url')}`,
      };
    },
    decrypt(keyId, ciphertext) {
      const key = keys.get(keyId);
      // The messages name no key material and no plaintext.
      if (!key)
        throw new AppError(
          'PRECONDITION_FAILED',
          `Credentials are encrypted with key "${keyId}", which is not configured.`,
        );
      const [version, iv, tag, data] = ciphertext.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined)
        throw new AppError('VALIDATION', 'Unreadable encrypted value.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new AppError(
          'PRECONDITION_FAILED',
          'Encrypted value could not be decrypted (wrong key or tampered data).',
        );
      }
    },
  };
}

/** 32 random bytes, base64: a new key for ENCRYPTION_KEYS. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
