/**
 * The dance templates VCLM offers, by TemplateId, with the dance's name: the one list the client's
 * checks, the CLI, the Workers coordinator and the example apps read (the emulator keeps its own,
 * as the service does).
 *
 * @example
 * ```ts
 * for (const [id, dance] of Object.entries(TEMPLATES)) console.log(`${id}: ${dance}`); // ke3: kemusan, ...
 * ```
 */
export const TEMPLATES = { ke3: "kemusan", tuziwu: "rabbit dance", huajiangwu: "paddling dance" } as const;

/**
 * A dance template's id, as SubmitImageAnimateJob's `TemplateId` takes it.
 *
 * @example
 * ```ts
 * const template: TemplateId = "tuziwu";
 * ```
 */
export type TemplateId = keyof typeof TEMPLATES;

/**
 * The TemplateIds, in the order the service lists them.
 *
 * @example
 * ```ts
 * const isTemplate = (id: string): id is TemplateId => (TEMPLATE_IDS as readonly string[]).includes(id);
 * ```
 */
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as [TemplateId, ...TemplateId[]];
