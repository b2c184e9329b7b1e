// Workers and browsers have no files: the "#files" import condition picks this for them, so no
// Node module reaches their bundles. Callers check `canReadFiles` and say what to do instead.

/** Whether this runtime reads files. */
export const canReadFiles = false;

/** Never called where `canReadFiles` is false; rejects if it is. */
export const readTextFile = (path: string): Promise<string> => Promise.reject(new Error(`${path}: this runtime has no files`));

/** There is no home folder here. */
export const homeDirectory = (): string | undefined => undefined;
