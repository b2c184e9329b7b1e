import { BitWriter, nalUnit } from "./bits.js";

/** A frame in 4:2:0 planes: Y is width x height, U and V are half that each way. Width and height are multiples of 16. */
export interface Yuv420 {
  readonly width: number;
  readonly height: number;
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;
}

/** Constrained Baseline, level 3.0: what every H.264 decoder plays. */
const PROFILE = 66;
const CONSTRAINTS = 0xc0;
const LEVEL = 30;

/** The sequence parameter set for frames of this size (frame numbers of 4 bits, picture order from decoding order). */
export function sps(width: number, height: number): Uint8Array {
  const w = new BitWriter().bits(PROFILE, 8).bits(CONSTRAINTS, 8).bits(LEVEL, 8);
  w.ue(0); // seq_parameter_set_id
  w.ue(0); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type: output order is decoding order
  w.ue(1); // max_num_ref_frames
  w.bits(0, 1); // gaps_in_frame_num_value_allowed_flag
  w.ue(width / 16 - 1).ue(height / 16 - 1);
  w.bits(1, 1); // frame_mbs_only_flag
  w.bits(1, 1); // direct_8x8_inference_flag
  w.bits(0, 1); // frame_cropping_flag
  w.bits(0, 1); // vui_parameters_present_flag
  return nalUnit(0x67, w.trailing().bytes());
}

/** The picture parameter set: CAVLC, one slice group, deblocking control present (slices turn it off). */
export function pps(): Uint8Array {
  const w = new BitWriter().ue(0).ue(0); // pic_parameter_set_id, seq_parameter_set_id
  w.bits(0, 1).bits(0, 1); // entropy_coding_mode_flag, bottom_field_pic_order_in_frame_present_flag
  w.ue(0).ue(0).ue(0); // num_slice_groups_minus1, num_ref_idx_l0/l1_default_active_minus1
  w.bits(0, 1).bits(0, 2); // weighted_pred_flag, weighted_bipred_idc
  w.se(0).se(0).se(0); // pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
  w.bits(1, 1).bits(0, 1).bits(0, 1); // deblocking_filter_control_present, constrained_intra_pred, redundant_pic_cnt_present
  return nalUnit(0x68, w.trailing().bytes());
}

const I_PCM = 25;

/**
 * One frame as an IDR picture of I_PCM macroblocks: every sample stored as it is (lossless), no
 * prediction, no transform. Large (1.5 bytes a pixel) but exact, and a few lines of code.
 */
export function idrFrame(frame: Yuv420, idrPicId: number): Uint8Array {
  const { width, height, y, u, v } = frame;
  const w = new BitWriter(width * height * 1.5 + (width * height) / 64 + 64);
  w.ue(0); // first_mb_in_slice
  w.ue(7); // slice_type: I, and every slice of the picture is I
  w.ue(0); // pic_parameter_set_id
  w.bits(0, 4); // frame_num (log2_max_frame_num = 4)
  w.ue(idrPicId % 65536); // idr_pic_id: differs between consecutive IDR pictures
  w.bits(0, 1).bits(0, 1); // dec_ref_pic_marking: no_output_of_prior_pics_flag, long_term_reference_flag
  w.se(0); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc: off (nothing to smooth in lossless samples)
  const half = width / 2;
  // 0 is not a valid PCM sample for early decoders: 1 is as dark, to the eye.
  const sample = (value: number) => (value === 0 ? 1 : value);
  for (let row = 0; row < height / 16; row++)
    for (let column = 0; column < width / 16; column++) {
      w.ue(I_PCM).align(); // mb_type, pcm_alignment_zero_bits
      for (let line = 0; line < 16; line++) {
        const start = (row * 16 + line) * width + column * 16;
        for (let i = 0; i < 16; i++) w.byte(sample(y[start + i] as number));
      }
      for (const plane of [u, v])
        for (let line = 0; line < 8; line++) {
          const start = (row * 8 + line) * half + column * 8;
          for (let i = 0; i < 8; i++) w.byte(sample(plane[start + i] as number));
        }
    }
  return nalUnit(0x65, w.trailing().bytes());
}
