import type { PhotoSource, TemplateId } from "@vclm/core";
import type { BatchPhoto } from "./types.js";

/** A distinct photo of the batch: its bytes' hash, every name given for them, and how to read them. */
export interface Item {
  readonly name: string;
  readonly names: string[];
  /** Template and SHA-256 of the bytes: the photo's key in the journal. */
  readonly key: string;
  readonly sha256: string;
  readonly load: () => Promise<PhotoSource>;
}

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

/** The bytes of a photo, as they will be sent. */
export const bytesOf = async (photo: PhotoSource): Promise<Uint8Array | ArrayBuffer> =>
  photo instanceof Blob ? await photo.arrayBuffer() : (photo as Uint8Array<ArrayBuffer> | ArrayBuffer);

export const sha256Of = async (bytes: Uint8Array | ArrayBuffer): Promise<string> =>
  hex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));

/**
 * Reads each photo once to hash it (one at a time: a thousand photos are never all held), and
 * keys it by template and hash: the same bytes under two names are one photo, one job.
 */
export async function planPhotos(
  photos: readonly BatchPhoto[],
  TemplateId: TemplateId,
): Promise<{ items: Map<string, Item>; keys: string[] }> {
  const items = new Map<string, Item>();
  const keys: string[] = [];
  for (const { name, photo } of photos) {
    const sha256 = await sha256Of(await bytesOf(typeof photo === "function" ? await photo() : photo));
    const key = `${TemplateId}:${sha256}`;
    keys.push(key);
    const known = items.get(key);
    if (known) known.names.push(name);
    else items.set(key, { name, names: [name], key, sha256, load: typeof photo === "function" ? photo : async () => photo });
  }
  return { items, keys };
}

/**
 * The photo's bytes now, if they are still the ones hashed at the start (a file may change while a
 * batch runs): what is submitted is exactly what the journal's key names.
 */
export async function readUnchanged(item: Item): Promise<{ bytes: Uint8Array | ArrayBuffer } | { problem: string }> {
  let bytes: Uint8Array | ArrayBuffer;
  try {
    bytes = await bytesOf(await item.load());
  } catch (error) {
    return { problem: `the photo could not be read: ${(error as Error).message}` };
  }
  if ((await sha256Of(bytes)) !== item.sha256)
    return {
      problem:
        "the photo changed after the batch started (its bytes are not the ones it read first): nothing was submitted; run the batch again to animate it as it is now",
    };
  return { bytes };
}
