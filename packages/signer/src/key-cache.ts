/**
 * A bounded memo of derived signing keys, one per secret key, each valid for the scope (date and
 * service) it was derived for: a new day or another service derives afresh. Keyed by the secret
 * key string itself, which callers pass as the same string each time, so a lookup costs no
 * string building. A process that rotates through more keys than the bound starts afresh
 * instead of growing without end.
 */
export function keyCache<Key>(limit: number): (secretKey: string, scope: string, derive: () => Key) => Key {
  const keys = new Map<string, { scope: string; key: Key }>();
  return (secretKey, scope, derive) => {
    let entry = keys.get(secretKey);
    if (entry?.scope !== scope) {
      if (!entry && keys.size >= limit) keys.clear();
      entry = { scope, key: derive() };
      keys.set(secretKey, entry);
    }
    return entry.key;
  };
}
