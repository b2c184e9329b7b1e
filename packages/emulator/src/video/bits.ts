/** A bit writer for H.264: fixed-width fields and Exp-Golomb codes, most significant bit first. */
export class BitWriter {
  #buffer: Uint8Array;
  #length = 0;
  #current = 0;
  #used = 0;

  constructor(capacity = 64) {
    this.#buffer = new Uint8Array(capacity);
  }

  bits(value: number, count: number): this {
    for (let bit = count - 1; bit >= 0; bit--) {
      this.#current = (this.#current << 1) | ((value >>> bit) & 1);
      if (++this.#used === 8) this.#push(this.#current);
    }
    return this;
  }

  /** ue(v): unsigned Exp-Golomb. */
  ue(value: number): this {
    const code = value + 1;
    const length = 32 - Math.clz32(code);
    return this.bits(0, length - 1).bits(code, length);
  }

  /** se(v): signed Exp-Golomb. */
  se(value: number): this {
    return this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }

  /** Zero bits up to the next byte boundary. */
  align(): this {
    while (this.#used) this.bits(0, 1);
    return this;
  }

  /** A whole byte, at a byte boundary (after `align`). */
  byte(value: number): void {
    this.#push(value);
  }

  /** rbsp_trailing_bits: a one, then zeros to the byte boundary. */
  trailing(): this {
    return this.bits(1, 1).align();
  }

  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #push(byte: number): void {
    if (this.#length === this.#buffer.length) {
      const grown = new Uint8Array(this.#buffer.length * 2);
      grown.set(this.#buffer);
      this.#buffer = grown;
    }
    this.#buffer[this.#length++] = byte;
    this.#current = 0;
    this.#used = 0;
  }
}

/** A NAL unit from its header byte and RBSP: emulation-prevention bytes inserted (00 00 0x, x <= 3, becomes 00 00 03 0x). */
export function nalUnit(header: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rbsp.length + Math.ceil(rbsp.length / 2) + 1);
  out[0] = header;
  let at = 1;
  let zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const byte = rbsp[i] as number;
    if (zeros >= 2 && byte <= 3) {
      out[at++] = 3;
      zeros = 0;
    }
    out[at++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, at);
}
