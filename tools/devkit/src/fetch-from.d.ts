/** A fetch whose connections come from `localAddress`. Plain HTTP, a body of bytes or a string. */
export function fetchFrom(localAddress: string): typeof fetch;
