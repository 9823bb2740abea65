"""Every tunable of the analysis in one table: value, unit and where it comes from.

Anything marked "heuristic, unvalidated" was chosen by us on the test clips and
synthetic walkers; change it here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Threshold:
    value: float
    unit: str
    meaning: str
    source: str


HEURISTIC = "heuristic, unvalidated"

_TABLE: dict[str, Threshold] = {
    # --- video -------------------------------------------------------------
    "min_clip_s": Threshold(2.0, "s", "shortest clip we analyse", "needs >= 2 strides of walking (~1 s each)"),
    "max_analysis_window_s": Threshold(30.0, "s", "longer clips are analysed over their first N seconds", HEURISTIC),
    "max_frame_side_px": Threshold(8192.0, "px", "larger frames are refused as absurd", "above 8K no phone records"),
    "min_frame_side_px": Threshold(120.0, "px", "smaller frames are refused", HEURISTIC),
    "analysis_long_side_px": Threshold(960.0, "px", "frames are downscaled to this long side before pose",
                                       "BlazePose crops the person to 256 px; 960 keeps a person 4-6 m away >= 256 px tall"),
    "analysis_rate_hz": Threshold(30.0, "Hz", "frames are sampled to at most this rate for pose",
                                  "BlazePose smoothing assumes ~30 fps; 33 ms still resolves a 200 ms running stance"),
    # --- pose / signal -----------------------------------------------------
    "min_visibility": Threshold(0.5, "0-1", "landmarks below this visibility become NaN", "MediaPipe default presence threshold"),
    "max_gap_fill_s": Threshold(0.12, "s", "gaps up to this long are interpolated", HEURISTIC + " (about 1/4 of a walking step)"),
    "lowpass_cutoff_hz": Threshold(6.0, "Hz", "zero-phase Butterworth cut-off for landmark tracks",
                                   "Winter 2009, Biomechanics and Motor Control of Human Movement: 6 Hz for gait kinematics"),
    "impact_cutoff_hz": Threshold(12.0, "Hz", "lighter filter for the landing's sharp stop and jolt",
                                  "impact transients reach 10-20 Hz (Winter 2009); capped below Nyquist at 30 Hz"),
    # --- quality -----------------------------------------------------------
    "min_person_frames_pct": Threshold(60.0, "%", "share of frames with a detected person", HEURISTIC),
    "min_feet_visible_pct": Threshold(60.0, "%", "share of person frames where heels and toes are visible and in the picture", HEURISTIC),
    "min_front_width_ratio": Threshold(0.45, "ratio", "shoulder width / torso height below this = side-on",
                                       "anthropometry: shoulder width ~0.26 H, torso ~0.30 H (Drillis & Contini 1966); side-on ~0.1-0.3"),
    "min_approach_scale_gain_pct": Threshold(10.0, "%", "body grows by more than this: coming toward the camera", HEURISTIC),
    "max_retreat_scale_loss_pct": Threshold(10.0, "%", "body shrinks by more than this: walking away", HEURISTIC),
    "max_sideways_drift_per_s": Threshold(0.5, "leg lengths/s", "faster sideways drift of the hips across the picture = walking across", HEURISTIC + " (walking across ~1.4 leg lengths/s)"),
    "min_oblique_scale_gain_pct": Threshold(10.0, "%", "drifting across the picture while growing by more than this = "
                                            "walking toward the phone at an angle (oblique path), not side-on",
                                            HEURISTIC + " (same as min_approach_scale_gain_pct; 45 deg rendered path: +58 %)"),
    "max_upper_body_missing_pct": Threshold(20.0, "%", "both shoulders unseen or outside the picture in more than this share of "
                                            "person frames = only the legs are filmed",
                                            HEURISTIC + " (0 % on every whole-body test clip; rendered legs-only clip 28 %)"),
    "min_feet_range_legs": Threshold(0.12, "leg lengths", "feet moving less than this in the picture over the clip (5-95 % "
                                     "spread) = no walking", HEURISTIC + " (standing with arm raises 0.09, a still frame 0.02; "
                                     "walking, also in place or with the camera following, >= 0.22 on the test clips)"),
    "min_contacts_for_walking": Threshold(2.0, "contacts", "fewer contacts in a clip of min_clip_for_no_walking_s "
                                          "= no walking seen", HEURISTIC),
    "min_clip_for_no_walking_s": Threshold(3.0, "s", "a person seen this long makes several contacts if they walk",
                                           "2 x max_step_s: even the slowest walk (~40 steps/min) lands twice"),
    "min_rate_for_timing_hz": Threshold(15.0, "Hz", "lowest frame rate for steps and cadence", "Nyquist for ~3 Hz step rate with margin"),
    "min_rate_for_landing_hz": Threshold(23.0, "Hz", "lowest frame rate for spring-or-bang", HEURISTIC + " (impact lasts ~50-100 ms)"),
    "min_brightness": Threshold(35.0, "0-255", "mean luma below this = too dark", HEURISTIC),
    # --- events ------------------------------------------------------------
    "ground_velocity_bandwidth_legs_s": Threshold(0.25, "leg lengths/s", "kernel width when finding the planted feet's "
                                                  "velocity (treadmill belt)", HEURISTIC + " (BlazePose jitter ~0.1 leg/s)"),
    "stance_speed_fraction": Threshold(0.25, "fraction", "foot is on the ground below p10 + f*(p90-p10) of its speed", HEURISTIC),
    "contact_speed_fraction": Threshold(0.3, "fraction", "the heel has landed once its speed falls below f * the swing's peak",
                                        HEURISTIC),
    "min_stance_s": Threshold(0.10, "s", "shorter still phases are not stances", "running stance >= ~0.15 s (Novacheck 1998)"),
    "max_stance_s": Threshold(1.6, "s", "longer still phases are standing, not a step", HEURISTIC),
    "min_walking_stance_s": Threshold(0.4, "s", "clips whose typical planted stretch is this long walk (heel strike, then "
                                      "the foot lowers)", "stance ~0.6-0.7 s walking (Perry & Burnfield 2010), "
                                      "~0.2-0.3 s running (Novacheck 1998)"),
    "max_foot_lowering_s": Threshold(0.15, "s", "a heel strike comes at most this long before the whole foot is planted",
                                     "heel strike to foot flat ~0.1-0.2 s (Perry & Burnfield 2010; socks annotation 6-12 "
                                     "frames at 59 fps)"),
    "planted_path_tolerance_legs": Threshold(0.015, "leg lengths", "a heel (toe) within this of its planted path has landed "
                                             "(not yet lifted)", HEURISTIC + " (BlazePose jitter ~0.01 leg)"),
    "min_seen_swing_s": Threshold(0.03, "s", "a contact counts only if the foot was seen this long before it",
                                  "a swing lasts ~0.4 s walking, ~0.5 s running (Perry 2010; Novacheck 1998); one frame: a foot just come into view is not a contact"),
    "min_swing_s": Threshold(0.10, "s", "shorter moving phases are merged (noise)", HEURISTIC),
    "min_stride_s": Threshold(0.45, "s", "one foot's contacts closer than this are one stance",
                              "shortest strides: sprinting ~0.45 s at ~260 steps/min (Weyand et al. 2000)"),
    "min_swing_speed_legs_s": Threshold(0.3, "leg lengths/s", "a foot whose swing is slower than this in the picture did not step",
                                        "a swing foot moves 3-4 leg lengths/s (Winter 2009), but seen from the front at "
                                        "knee height only ~1/10 of it shows (0.6-3.4 on our clips); standing jitter ~0.05-0.15"),
    "min_step_s": Threshold(0.2, "s", "shorter steps are not walking or running", "300 steps/min is beyond sprinting"),
    "max_step_s": Threshold(1.5, "s", "a longer gap between contacts is a pause, not a step",
                            "slowest walking ~40 steps/min"),
    "min_steps_for_finding": Threshold(3.0, "steps", "a per-foot finding needs at least this many steps", HEURISTIC),
    "min_steps_for_cadence": Threshold(4.0, "steps", "cadence from contacts needs at least this many steps", HEURISTIC),
    # --- landing direction (foot progression angle, + = toe-out) -------------
    "fpa_in_below_deg": Threshold(0.0, "deg", "median foot angle below this = pointing in",
                                  "normal walking FPA ~5-13 deg toe-out (Seber et al. 1981; Lai et al. 2008); PRODUCT.md"),
    "fpa_out_above_deg": Threshold(15.0, "deg", "median foot angle above this = pointing out", "PRODUCT.md; Seber et al. 1981"),
    "fpa_doubt_deg": Threshold(5.0, "deg", "within this of a boundary the category is uncertain", "PRODUCT.md: +-5 deg of doubt"),
    "fpa_cross_check_deg": Threshold(12.0, "deg", "3D and 2D foot angles further apart lower confidence", HEURISTIC),
    "foot_to_leg_length_ratio": Threshold(0.29, "ratio", "foot length / hip-to-ankle length for the 2D foot angle",
                                          "Drillis & Contini 1966: foot 0.152 H, leg 0.53 H"),
    "assumed_fov_long_side_deg": Threshold(67.0, "deg", "field of view across the picture's long side assumed for the "
                                           "foot's pixels (videos carry no lens data)",
                                           "phone main cameras are ~26 mm equivalent: 65-70 deg across a 16:9 video"),
    "min_floor_fit_leg_ratio": Threshold(1.3, "ratio", "the contacts' leg lengths in pixels must span at least this "
                                         "ratio to fit the floor (horizon and camera height)", HEURISTIC),
    "min_leg_px_for_foot_pixels": Threshold(100.0, "px", "a planted foot whose leg (hip to ankle) is shorter than this "
                                            "in the full picture is too small to read its angle from its pixels",
                                            HEURISTIC + " (rendered clips: within ~5 deg down to ~100 px; 75-95 px unreliable)"),
    "min_foot_outline_iou": Threshold(0.55, "0-1", "model foot and seen outline must overlap at least this much",
                                      HEURISTIC),
    "min_foot_pixel_confidence": Threshold(0.4, "0-1", "a foot-pixel angle less sure than this is not reported (the "
                                           "landmark angle stands)", HEURISTIC + " (rendered barefoot fits mostly 0.4-0.9; "
                                           "the real socks clip 0.1-0.4 with angles off by 20-40 deg)"),
    "max_plausible_fpa_deg": Threshold(45.0, "deg", "a foot angle beyond +-this is a failed measurement, not a gait",
                                       "walking FPA -15..+30 deg in adults, extremes included (Seber et al. 1981; "
                                       "Lai et al. 2008)"),
    "left_right_fpa_diff_deg": Threshold(8.0, "deg", "left and right foot angles differ by more than this", HEURISTIC),
    # --- twist at lift-off --------------------------------------------------
    "twist_deg": Threshold(15.0, "deg", "foot turns more than this between mid-stance and lift-off", HEURISTIC),
    # --- spring or bang ------------------------------------------------------
    "knee_give_walk_deg": Threshold(8.0, "deg", "walking: less knee flexion after contact = stiff",
                                    "loading-response knee flexion ~15-20 deg in walking (Perry & Burnfield 2010); half of it as the floor"),
    "knee_give_run_deg": Threshold(15.0, "deg", "running: less knee flexion after contact = stiff",
                                   "contact-to-midstance knee flexion ~20-30 deg in running (Novacheck 1998)"),
    "stop_rate_bang_per_s": Threshold(18.0, "1/s", "steepest fall of foot speed at contact / its late-swing speed above this = abrupt stop",
                                      HEURISTIC + " (normal walking on the test clip: 6-10 /s at 30 Hz)"),
    "hip_jolt_ratio": Threshold(2.2, "ratio", "peak vertical hip acceleration at contact / that of a smooth sine", HEURISTIC),
    # --- cadence ---------------------------------------------------------------
    "cadence_gain_low_pct": Threshold(5.0, "%", "smallest useful cadence increase", "Heiderscheit et al. 2011, MSSE 43:296"),
    "cadence_gain_high_pct": Threshold(10.0, "%", "largest advised cadence increase", "Heiderscheit et al. 2011, MSSE 43:296"),
    "min_step_confidence": Threshold(0.35, "0-1", "steps below this confidence are left out of findings", HEURISTIC),
    "min_finding_confidence": Threshold(0.4, "0-1", "a finding below this confidence is shown as unclear, not as a finding",
                                        HEURISTIC),
    "walk_cadence_low_spm": Threshold(100.0, "steps/min", "usual walking cadence, low end", "PRODUCT.md (~100-130)"),
    "walk_cadence_high_spm": Threshold(130.0, "steps/min", "usual walking cadence, high end", "PRODUCT.md (~100-130)"),
    "low_run_cadence_spm": Threshold(160.0, "steps/min", "running below this: suggest +5-10 %", "typical 150-200 (PRODUCT.md); heuristic cut"),
}

THRESHOLDS = MappingProxyType(_TABLE)


def value(name: str) -> float:
    """The value of a named threshold (KeyError names a typo at once)."""
    return THRESHOLDS[name].value
