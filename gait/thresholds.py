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
    "analysis_long_side_px": Threshold(1920.0, "px", "frames are downscaled to this long side before pose",
                                       "BlazePose crops the person to 256 px; a runner 8-10 m away is ~130 px tall in a 960 px frame, "
                                       "~260 px at 1920. gait.validate, rendered walkers 960 -> 1920 px: contact MAE 47 -> 36 ms, "
                                       "left/right 91 -> 93 % (held-out seed: 88 -> 94 %), same CPU within 5 %"),
    "analysis_rate_hz": Threshold(30.0, "Hz", "frames are sampled to at most this rate for pose",
                                  "BlazePose smoothing assumes ~30 fps; 33 ms still resolves a 200 ms running stance"),
    # --- landing viewer (issue 12) -------------------------------------------
    "viewer_before_contact_ms": Threshold(150.0, "ms", "the landing viewer starts this long before contact",
                                          "issue 12: late swing, the foot's approach to the floor"),
    "viewer_crop_height_px": Threshold(360.0, "px", "height of a kept leg crop (width 3/4 of it)",
                                       "about a phone's width at 1x; the legs fill it (hips to toes)"),
    "viewer_jpeg_quality": Threshold(80.0, "0-100", "JPEG quality of a kept leg crop", HEURISTIC + " (~8-12 kB a crop)"),
    "viewer_kept_max_mb": Threshold(6.0, "MB", "leg crops kept per clip after the pass (windows around contacts)",
                                    "issue 12: at most a few MB per clip"),
    "viewer_store_max_mb": Threshold(40.0, "MB", "leg crops held during the pass (oldest dropped beyond this)",
                                     "bounds memory for long slow-motion clips (30 s at 240 fps ~ 7200 crops)"),
    # --- pose / signal -----------------------------------------------------
    "min_visibility": Threshold(0.5, "0-1", "landmarks below this visibility become NaN", "MediaPipe default presence threshold"),
    "min_foot_visibility": Threshold(0.3, "0-1", "ankle, heel and toe landmarks below this visibility become NaN",
                                     "rendered walkers vs per-frame truth: heel error 0.16 leg lengths at visibility 0.3-0.5, "
                                     "0.13 at 0.5-0.7, 0.28 at 0.1-0.2, ~1.9 (a misplaced foot) below 0.1"),
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
    "max_upper_body_missing_pct": Threshold(10.0, "%", "both shoulders unseen or outside the picture in more than this share of "
                                            "person frames (those after the person was lost with the shoulders out "
                                            "included) = only the legs are filmed",
                                            HEURISTIC + " (0 % on every whole-body clip: 5 real, 150 rendered; rendered "
                                            "legs-only clips 19, 28, 44 %: a step or more of a 10-step walk)"),
    "min_feet_range_legs": Threshold(0.12, "leg lengths", "feet moving less than this in the picture over the clip (5-95 % "
                                     "spread) = no walking, unless contacts keep a stepping rhythm", HEURISTIC + " (standing with arm raises 0.09, a still frame 0.02; "
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
    "still_floor_density_share": Threshold(0.95, "fraction", "the planted feet's velocity is zero (a still floor) when the "
                                           "density of foot velocities at zero is at least this share of the densest",
                                           HEURISTIC + ": looked at only for someone who keeps their size (events."
                                           "ground_velocity); treadmills seen from the front 0.34-0.93 (12 rendered "
                                           "clips), a still floor under someone in place 0.99-1.0 (standing, two real "
                                           "clips); 0.8 while approaching walkers (0.86-1.0) were looked at too"),
    "stance_speed_fraction": Threshold(0.25, "fraction", "foot is on the ground below p10 + f*(p90-p10) of its speed", HEURISTIC),
    "contact_speed_fraction": Threshold(0.3, "fraction", "the heel has landed once its speed falls below f * the swing's peak",
                                        HEURISTIC),
    "min_stance_s": Threshold(0.10, "s", "shorter still phases are not stances", "running stance >= ~0.15 s (Novacheck 1998)"),
    "min_cut_stance_s": Threshold(0.06, "s", "a stance the clip's end cuts short counts from this long (two frames at "
                                  "30/s): its foot slowed and stayed slowed until the last frame",
                                  "gait.validate, 75 clips: all 10 stances it adds are true contacts (recall 78.8 -> 80.6 %)"),
    "trunk_drift_cutoff_hz": Threshold(1.2, "Hz", "the hips' height minus its own filtered at this cut-off: the bob of each "
                                       "running step (2.5-3.3 steps/s) without the slow drift of coming nearer",
                                       "running cadence 150-200 steps/min (Heiderscheit 2011)"),
    "trunk_fall_prominence_legs_s": Threshold(0.2, "leg lengths/s", "a fall of the hips counts as a step when its speed "
                                              "stands out this much from its neighbours",
                                              "gait.validate, 22 rendered runs: the same steps from 0.1 to 0.5"),
    "trunk_step_tolerance": Threshold(0.35, "steps", "a fall of the hips is taken for a missing running step within this "
                                      "share of a step from where the rhythm expects it", HEURISTIC),
    "scene_compare_gap_s": Threshold(1.0, "s", "whole frames this far apart are compared to see whether the phone moved "
                                     "(a carried phone moves ~1 m in that time)", HEURISTIC),
    "scene_min_textured_share": Threshold(0.005, "fraction", "a comparison needs at least this share of the picture to be "
                                          "textured background outside the person (a plain room tells nothing)", HEURISTIC),
    "scene_moved_level": Threshold(4.0, "levels (0-255)", "the background's textured pixels differing by more than this "
                                   "(median, after the best shift) means the phone moved",
                                   "the shared and rendered clips: still phones 0.2-0.9 on four real clips and 0-0.1 "
                                   "on rendered ones; a phone carried behind a walker 7.6 (walk_away_rear_movingcam)"),
    "max_stance_s": Threshold(1.6, "s", "longer still phases are standing, not a step", HEURISTIC),
    "min_walking_stance_s": Threshold(0.4, "s", "clips whose typical planted stretch is this long walk (heel strike, then "
                                      "the foot lowers)", "stance ~0.6-0.7 s walking (Perry & Burnfield 2010), "
                                      "~0.2-0.3 s running (Novacheck 1998)"),
    "swing_peak_within_s": Threshold(0.5, "s", "a walking toe's swing reaches its peak speed within this after its point "
                                     "first moves (the window a lift-off is timed in)",
                                     "walking swing ~0.4 s, 38-40 % of a ~1.1 s cycle (Perry & Burnfield 2010)"),
    "max_foot_lowering_s": Threshold(0.15, "s", "a heel strike comes at most this long before the whole foot is planted",
                                     "heel strike to foot flat ~0.1-0.2 s (Perry & Burnfield 2010; socks annotation 6-12 "
                                     "frames at 59 fps)"),
    "planted_path_tolerance_legs": Threshold(0.015, "leg lengths", "a heel (toe) within this of its planted path has landed "
                                             "(not yet lifted)", HEURISTIC + " (BlazePose jitter ~0.01 leg)"),
    "min_seen_swing_s": Threshold(0.03, "s", "a contact counts only if the foot was seen this long before it",
                                  "a swing lasts ~0.4 s walking, ~0.5 s running (Perry 2010; Novacheck 1998); one frame: a foot just come into view is not a contact"),
    "min_swing_s": Threshold(0.10, "s", "shorter moving phases are merged (noise)", HEURISTIC),
    "opposite_lift_off_share": Threshold(0.10, "of the stride", "in walking the other foot lifts off this long after a contact",
                                         "opposite toe-off at ~10 % of the gait cycle (Perry & Burnfield 2010)"),
    "min_stride_s": Threshold(0.45, "s", "one foot's contacts closer than this are one stance",
                              "shortest strides: sprinting ~0.45 s at ~260 steps/min (Weyand et al. 2000)"),
    "min_swing_speed_legs_s": Threshold(0.3, "leg lengths/s", "a foot whose swing is slower than this in the picture did not step",
                                        "a swing foot moves 3-4 leg lengths/s (Winter 2009), but seen from the front at "
                                        "knee height only ~1/10 of it shows (0.6-3.4 on our clips); standing jitter ~0.05-0.15"),
    "min_step_s": Threshold(0.2, "s", "shorter steps are not walking or running", "300 steps/min is beyond sprinting"),
    "max_step_s": Threshold(1.5, "s", "a longer gap between contacts is a pause, not a step",
                            "slowest walking ~40 steps/min"),
    "min_steps_for_finding": Threshold(3.0, "steps", "a per-foot finding needs at least this many steps", HEURISTIC),
    "min_steps_for_direction": Threshold(2.0, "steps", "a foot's landing direction needs at least this many clear steps",
                                         "its confidence carries the steps' scatter and the method's measured error per foot; "
                                         "reliability table in VALIDATION.md"),
    "min_steps_for_cadence": Threshold(4.0, "steps", "cadence from contacts needs at least this many steps", HEURISTIC),
    # --- what was filmed against what the guide asks (gait.analysis.filming) ----
    "asked_steps": Threshold(10.0, "steps", "steps toward the phone the filming guide asks for", "gait.advice.guide"),
    "min_steady_steps_as_asked": Threshold(8.0, "steps", "fewer steady steps than this: say the clip is shorter "
                                           "than asked", "10 asked; the first and last may fall outside the steady "
                                           "stretch (events.steady_stretch); heuristic"),
    # --- landing direction (foot progression angle, + = toe-out) -------------
    "fpa_in_below_deg": Threshold(0.0, "deg", "median foot angle below this = pointing in",
                                  "normal walking FPA ~5-13 deg toe-out (Seber et al. 1981; Lai et al. 2008); PRODUCT.md"),
    "fpa_out_above_deg": Threshold(15.0, "deg", "median foot angle above this = pointing out", "PRODUCT.md; Seber et al. 1981"),
    "fpa_foot_error_sd_deg": Threshold(2.6, "deg", "walking: SD of one foot's median angle against the truth, at full "
                                       "step confidence", "gait.validate, rendered walks and fast walks (80 feet: committed, "
                                       "frontal, held-out seeds 7, 11, 13, treadmill seed 6): per-foot RMS error 3.1 deg at "
                                       "heel/toe visibility ~0.85"),
    "fpa_foot_error_sd_run_deg": Threshold(4.0, "deg", "running: the same", "gait.validate, rendered runs (26 feet, the "
                                           "same sets): per-foot RMS error 4.7 deg at visibility ~0.85 (5.3 with the foot "
                                           "scaled by the leg's rolling length, which a running knee's bend shortens)"),
    "fpa_doubt_deg": Threshold(5.0, "deg", "within this of a boundary the category is uncertain", "PRODUCT.md: +-5 deg of doubt"),
    "fpa_3d_only_weight": Threshold(0.5, "ratio", "a foot angle from the 3D world landmarks alone (no heel and toe "
                                    "in the picture, no outline fit) counts this much of its visibility",
                                    "gait.validate, rendered walkers: the 3D angle rises 0.42 deg per true degree "
                                    "(per-foot error SD 7.8 deg against 2.8 for the 2D angle)"),
    "fpa_landmark_offset_deg": Threshold(3.5, "deg", "added to the heel-to-toe angle read from the pose model's heel "
                                         "and toe in the picture", "gait.validate, rendered walkers (44 feet, committed "
                                         "and held-out seed 7): that line reads 3.3-3.8 deg toe-in against the true "
                                         "heel-to-second-toe line at every angle (slope 0.95-0.98)"),
    "max_walking_heading_deg": Threshold(30.0, "deg", "a path found further off the camera's axis than this is a "
                                         "failed fit, and the foot angle is not corrected for it",
                                         "the filming guide asks to walk straight at the phone; " + HEURISTIC),
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
    # How far the measured give (BlazePose's 3D knee angle, front view) follows the true one: a
    # straight line with heavy-tailed scatter, fitted on 153 steps / 42 feet of rendered walkers
    # (tests/rendered, tests/rendered/frontal and the held-out seed 7, 2026-11-29; reproduced by
    # `python -m tools.knee_give_study`).
    # The spring-or-bang confidence is worked out from it (gait.analysis.findings.spring_probability).
    "knee_give_seen_offset_deg": Threshold(5.8, "deg", "measured give of a knee that truly does not give",
                                           "rendered truth: fit of each foot's median measured give on its true "
                                           "give, 42 feet of 21 clips (true gives 5-30 deg)"),
    "knee_give_seen_slope": Threshold(0.004, "deg/deg", "measured give gained per degree of true give (1 = follows it)",
                                      "same fit (0.04 without the far frontal clips; per step 0.08 over 153 steps, "
                                      "correlation 0.17)"),
    "knee_give_seen_slope_sd": Threshold(0.08, "deg/deg", "how unsure that slope is",
                                         "bootstrap over the 21 clips of the fit: the measure may not follow "
                                         "the give at all"),
    "knee_give_seen_sd_deg": Threshold(3.9, "deg", "scatter of one foot's median measured give about that line",
                                       "same fit: 3.9 per foot (42 feet), 4.0 per step; left and right of one "
                                       "clip differ by up to 8 deg, so more steps do not narrow it"),
    "knee_give_seen_tail_dof": Threshold(4.0, "dof", "Student-t degrees of freedom of that scatter (heavy tails: a "
                                         "foot measured far off gives a bounded, not a certain, call)",
                                         HEURISTIC + " (a stiff foot measured at 15.6 deg, a soft one at 1.2)"),
    "knee_give_prior_sd_deg": Threshold(10.0, "deg", "spread of true gives considered, about the stiff threshold "
                                        "(centred there, so the call rests on the measurement, not on an assumed "
                                        "share of stiff landings)",
                                        "loading flexion ~0-5 deg stiff, 15-20 walking and 20-45 running "
                                        "(Perry & Burnfield 2010; Novacheck 1998): within 1.5-2 SD of 8 and 15"),
    # --- cadence ---------------------------------------------------------------
    "cadence_gain_low_pct": Threshold(5.0, "%", "smallest useful cadence increase", "Heiderscheit et al. 2011, MSSE 43:296"),
    "cadence_gain_high_pct": Threshold(10.0, "%", "largest advised cadence increase", "Heiderscheit et al. 2011, MSSE 43:296"),
    "leg_rhythm_step_min_s": Threshold(0.22, "s", "the legs' rhythm looks for a step at least this long",
                                       "sprinting cadence tops out near 270 steps/min"),
    "leg_rhythm_step_max_s": Threshold(0.8, "s", "... and at most this long", "slow walking ~75 steps/min"),
    "leg_rhythm_min_strength": Threshold(0.5, "0-1", "a rhythm this clean or cleaner gives a cadence where the contacts cannot",
                                         "measured: on 122 rendered and real clips every rhythm of strength >= 0.5 was "
                                         "within 8 % of the true cadence; below it some were 10-40 % off"),
    # --- knee and hip from the front, heel from behind (issue 11; gait.analysis.frontal) -------------
    "knee_valgus_fppa_deg": Threshold(10.0, "deg", "knee's frontal plane projection angle at its loading peak above "
                                      "this = the knee falls in",
                                      "Willson & Davis 2008, JOSPT 38:606 (FPPA larger in women with patellofemoral "
                                      "pain, running and single-leg squat); Souza 2016, Phys Med Rehabil Clin N Am "
                                      "27:217; the 10 deg cut itself is heuristic"),
    "knee_valgus_lr_diff_deg": Threshold(5.0, "deg", "left and right knee angles differ by more than this", HEURISTIC),
    "pelvic_drop_deg": Threshold(7.0, "deg", "hip line's drop toward the swinging side at its loading peak above this "
                                 "= the hip drops on the other side",
                                 "Bramah et al. 2018, Am J Sports Med 46:3406 (contralateral pelvic drop the "
                                 "strongest marker; injured runners ~7-8 deg, healthy ~5 deg; cut between them)"),
    "crossover_step_width_leg": Threshold(0.0, "leg lengths", "a planted foot at or across the line of the other "
                                          "foot's steps = feet cross the midline",
                                          "Souza 2016 (crossover gait: the foot lands across the midline); "
                                          "Dingenen et al. 2019, Phys Ther Sport 38:184 (2D running video)"),
    "step_width_doubt_leg": Threshold(0.05, "leg lengths", "within this of the crossover line the call is uncertain",
                                      "issue 11's measurement bar (0.05 leg lengths)"),
    "rearfoot_eversion_walk_deg": Threshold(8.0, "deg", "walking: heel rolls in more than this after contact (seen "
                                            "from behind) = more than usual",
                                            HEURISTIC + " (rearfoot eversion after contact ~4-8 deg in walking, "
                                            "Souza 2016 lists it; Cornwall & McPoil 1999)"),
    "rearfoot_eversion_run_deg": Threshold(12.0, "deg", "running: heel rolls in more than this after contact",
                                           HEURISTIC + " (rearfoot eversion in running ~8-12 deg; Souza 2016)"),
    "pelvic_drop_max_confidence": Threshold(0.3, "0-1", "pelvic drop read from the hip landmarks (no waistband in "
                                            "view) has its confidence capped here, below the finding floor: shown, but "
                                            "as unclear, and no advice (read from the waistband it is not capped: 1.8 "
                                            "deg on the committed frontal clips, 1.5 held out)",
                                            "gait.validate on tests/rendered/frontal (2026-11-29): pelvic_drop_mae_deg "
                                            "6.0 against a 3 deg target (held-out seed 7: 6.0); the method is within 0.6 "
                                            "deg on the true hip joints, BlazePose's hip points barely follow the "
                                            "pelvis's tilt (python -m tools.frontal_probe)"),
    "eversion_max_confidence": Threshold(0.3, "0-1", "rearfoot eversion's confidence is capped here, below the "
                                         "finding floor", "gait.validate on tests/rendered/frontal (2026-11-30): "
                                         "eversion_mae_deg 4.4 against a 3 deg target (held-out: 3.7); within 0.6 deg "
                                         "on the true joints; BlazePose's heel does not follow the heel's roll: 10 deg "
                                         "of roll moves the ankle 1.5-1.9 px over the heel in these clips "
                                         "(python -m tools.frontal_probe)"),
    "frontal_doubt_deg": Threshold(3.0, "deg", "within this of a knee or heel threshold the call is uncertain",
                                   "issue 11's measurement bar (3 deg on rendered walkers)"),
    "frontal_min_leg_px": Threshold(50.0, "px", "a leg (hip to ankle) shorter than this in the analysis frame gives "
                                    "no knee angle or step width", HEURISTIC + " (1 px of jitter ~2.5 deg at 50 px)"),
    "frontal_full_leg_px": Threshold(150.0, "px", "from this leg size up the picture does not limit the knee angle",
                                     HEURISTIC),
    "waist_min_contrast": Threshold(8.0, "CIELAB/2px", "a waistband column's colour step across the seam is at least "
                                    "this (a garment seam, not shading)", "rendered walkers' seams (6 clips of "
                                    "tests/rendered/frontal): 10th percentile 10.5, medians 14-21; " + HEURISTIC + " below"),
    "waist_min_share": Threshold(0.6, "0-1", "the seam runs through at least this share of the band's columns",
                                 "rendered walkers: 0.98-1.0 in 90 % of frames; the real "
                                 "socks and portrait walks (an untucked polo shirt): 0.30-0.35 median, a hem's "
                                 "folds"),
    "waist_min_above_hips": Threshold(0.25, "hip widths", "a seam counts as the waistband only this far above the "
                                      "model's hips or more", "a waistband sits on the iliac crests above the hip "
                                      "joints: rendered walkers 0.39-0.65 hip widths above BlazePose's hips; the "
                                      "untucked polo shirt's hem on the real socks and portrait walks: -0.25..-0.10"),
    "waist_min_frames_share": Threshold(0.5, "0-1", "pelvic drop follows the waistband when a usable seam is found "
                                        "in at least this share of the steady walk's frames (else the hip "
                                        "landmarks, capped)", HEURISTIC),
    "waist_min_hip_px": Threshold(8.0, "px", "hips closer than this in the analysis frame give no "
                                  "waistband tilt (too few columns to fit a line)", HEURISTIC),
    "waist_full_hip_px": Threshold(20.0, "px", "from this hip distance up the picture does not limit the "
                                   "waistband's tilt", HEURISTIC + " (20 columns at 0.3 px edge noise: ~0.7 deg)"),
    "pelvis_min_leg_px": Threshold(60.0, "px", "a leg shorter than this gives no pelvic drop (the hips are a "
                                   "short line, ~0.2 leg lengths)", HEURISTIC),
    "pelvis_full_leg_px": Threshold(180.0, "px", "from this leg size up the picture does not limit pelvic drop",
                                    HEURISTIC),
    "eversion_min_heel_px": Threshold(6.0, "px", "ankle to heel shorter than this in the picture gives no eversion",
                                      HEURISTIC + " (1 px is ~10 deg at 6 px)"),
    "eversion_full_heel_px": Threshold(20.0, "px", "from this ankle-to-heel size up the picture does not limit "
                                       "eversion", HEURISTIC + " (1 px ~3 deg)"),
    "min_step_confidence": Threshold(0.35, "0-1", "steps below this confidence are left out of findings", HEURISTIC),
    "min_finding_confidence": Threshold(0.4, "0-1", "a finding below this confidence is shown as unclear, not as a finding",
                                        HEURISTIC),
    "walk_cadence_low_spm": Threshold(100.0, "steps/min", "usual walking cadence, low end", "PRODUCT.md (~100-130)"),
    "walk_cadence_high_spm": Threshold(130.0, "steps/min", "usual walking cadence, high end", "PRODUCT.md (~100-130)"),
    "low_run_cadence_spm": Threshold(160.0, "steps/min", "running below this: suggest +5-10 %", "typical 150-200 (PRODUCT.md); heuristic cut"),
    # --- how loud each landing is (gait.analysis.sound) ------------------------------------
    "sound_band_low_hz": Threshold(80.0, "Hz", "footfall band, lower edge (drops handling rumble and most wind)",
                                   HEURISTIC + " (a barefoot thud has most of its energy 100-1000 Hz)"),
    "sound_band_high_hz": Threshold(6000.0, "Hz", "footfall band, upper edge (a foot's slap on a hard floor)", HEURISTIC),
    "sound_frame_s": Threshold(0.02, "s", "loudness envelope window",
                               "a footfall's impact lasts ~10-50 ms (heel-strike transient, Whittle 1999)"),
    "sound_hop_s": Threshold(0.005, "s", "loudness envelope step (time resolution of onsets)", HEURISTIC),
    "sound_floor_percentile": Threshold(20.0, "%", "the clip's noise floor: this percentile of its loudness envelope",
                                        HEURISTIC + " (footfalls fill < 15 % of a walk's time)"),
    "sound_min_step_snr_db": Threshold(8.0, "dB", "a footfall counts when its peak is this far above the noise floor "
                                       "and stands out this much from its surroundings", HEURISTIC),
    "sound_min_gap_s": Threshold(0.08, "s", "two sound peaks closer than this are one footfall", HEURISTIC),
    "sound_search_s": Threshold(0.15, "s", "first pass: a footfall within this of a visual contact (finds the "
                                "audio/video offset)", "contacts within ~45 ms on rendered truth (VALIDATION.md) plus "
                                "the A/V offset allowed; < half a running step (~0.17 s)"),
    "sound_match_s": Threshold(0.1, "s", "second pass: a footfall within this of contact + the clip's offset lines up",
                              "single contacts are off by up to ~100 ms on rendered truth (VALIDATION.md, mean 35-45 ms); "
                              "the other foot's footfall is >= 0.3 s away even running"),
    "sound_step_sound_s": Threshold(0.12, "s", "a footfall's own sound (impact and ring) lasts this long after onset; "
                                    "the sound between steps is measured after it", HEURISTIC),
    "sound_max_av_offset_s": Threshold(0.2, "s", "audio further ahead of or behind the picture than this does not line up",
                                       "ITU-R BT.1359-1 (1998): A/V offsets become detectable at +45/-125 ms and "
                                       "unacceptable beyond +90/-185 ms; a phone's own file is far inside"),
    "sound_max_offset_spread_s": Threshold(0.035, "s", "footfalls whose offsets to the contacts scatter more than this "
                                           "(median absolute deviation) do not line up",
                                           "contact timing error ~35 ms (VALIDATION.md)"),
    "sound_min_heard_pct": Threshold(60.0, "%", "share of contacts with a footfall in line for a value", HEURISTIC),
    "sound_min_contrast_db": Threshold(6.0, "dB", "footfalls must stand this far above the sound between the steps "
                                       "(else music, talk, wind or noise covers them)", HEURISTIC + " (6 dB: twice "
                                       "the amplitude)"),
    "sound_max_extra_per_step": Threshold(1.0, "peaks/contact", "more loud sound peaks out of line with the contacts "
                                          "than this = other sounds (music beats, talk) in the clip", HEURISTIC),
    "sound_silent_dbfs": Threshold(-75.0, "dBFS", "a clip whose loudest moment is below this has no real sound",
                                   "16-bit digital silence and muted phone microphones sit below -80 dBFS"),
    "sound_wind_below_hz": Threshold(300.0, "Hz", "wind noise puts most of its power below this", "wind noise on "
                                     "small microphones is dominated by < 300 Hz (Nelke & Vary 2014)"),
    "sound_wind_low_share": Threshold(0.8, "0-1", "share of the background's power below sound_wind_below_hz that "
                                      "names wind as the cause", HEURISTIC),
    "sound_tonal_flatness": Threshold(0.35, "0-1", "background spectral flatness (within ~250 Hz bands, median of the "
                                      "louder frames) below this is tonal: music or talk",
                                      "flatness measure: Johnston 1988; Peeters 2004. Cut " + HEURISTIC + " (noise of "
                                      "any tilt 0.56-0.63, synthetic chords 0.24, voiced talk 0.10)"),
    "sound_assumed_leg_m": Threshold(0.85, "m", "hip-to-ankle length assumed to turn the person's size in the "
                                     "picture into a distance", "Drillis & Contini 1966: hip 0.53 H, ankle 0.04 H; "
                                     "0.49 x 1.72 m; a person's own error cancels left vs right and across speeds"),
    "sound_reference_m": Threshold(1.0, "m", "levels are corrected to this distance from the phone (inverse distance: "
                                   "+20 log10(d / 1 m))", "free-field point source, 6 dB per doubling of distance"),
    "sound_step_spread_db": Threshold(6.0, "dB", "a foot whose landings scatter more than this (IQR) is less sure",
                                      HEURISTIC),
    "loudness_lr_diff_db": Threshold(3.0, "dB", "one foot louder than the other by more than this = a finding",
                                     "Tate & Milner 2017 (JOSPT 47:565): cueing by landing sound intensity lowered "
                                     "loading rates; 3 dB is twice the sound power, above the 2 dB accuracy on "
                                     "rendered truth (VALIDATION.md); cut heuristic"),
}

THRESHOLDS = MappingProxyType(_TABLE)


def value(name: str) -> float:
    """The value of a named threshold (KeyError names a typo at once)."""
    return THRESHOLDS[name].value
