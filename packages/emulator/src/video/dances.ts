/**
 * Where the photo is at one moment of a dance, relative to the photo as it is, covering the frame
 * and centred: how much larger, how far moved right and up (in the frame's pixels), and turned
 * (radians, clockwise).
 */
export interface Pose {
  readonly zoom: number;
  readonly right: number;
  readonly up: number;
  readonly turn: number;
}

/**
 * A dance: the pose at `t`, from 0 to 1 over the video. At 0 (and 1, so the video loops without a
 * jump) it is the photo as it is: zoom 1, not moved, not turned.
 */
export type Dance = (t: number, frame: { readonly width: number; readonly height: number }) => Pose;

/** How far a dance zooms in, at most: the photo is kept with this much more resolution than the frame. */
export const MAX_ZOOM = 1.1;

const { abs, sin, PI } = Math;

/**
 * The templates the emulator takes (its own list, as the service keeps its own), each with its own
 * dance, so a video shows which template made it. Each zooms in as it moves or turns, so that
 * little of the frame falls outside the photo (what does is the photo's edge, stretched).
 */
export const DANCES = {
  /** Kemusan: zooming in and out, swaying side to side with a little bounce. */
  ke3: (t, { width, height }) => ({
    zoom: 1 + (MAX_ZOOM - 1) * sin(PI * t) ** 2,
    right: 0.06 * width * sin(2 * PI * t),
    up: 0.02 * height * abs(sin(4 * PI * t)),
    turn: 0,
  }),
  /** Rabbit dance: three hops, leaning right, left, right. */
  tuziwu: (t, { height }) => ({
    zoom: 1 + 0.08 * abs(sin(3 * PI * t)),
    right: 0,
    up: 0.04 * height * abs(sin(3 * PI * t)),
    turn: 0.03 * sin(3 * PI * t),
  }),
  /** Paddling dance: two long strokes, the body turning and leaning into each, left then right. */
  huajiangwu: (t, { width }) => ({
    zoom: 1 + 0.09 * abs(sin(2 * PI * t)),
    right: -0.025 * width * sin(2 * PI * t),
    up: 0,
    turn: 0.05 * sin(2 * PI * t),
  }),
} satisfies Record<string, Dance>;

/** The TemplateIds the emulator takes, in the order the service lists them. */
export const TEMPLATE_IDS = Object.keys(DANCES) as (keyof typeof DANCES)[];

/** A template's dance; a template this emulator does not know (a job restored from another version's data directory) dances the first one. */
export function danceOf(templateId: string): Dance {
  return (DANCES as Record<string, Dance>)[templateId] ?? DANCES.ke3;
}
