"""The exercise library as data: one record per exercise, plus the finding ranking.

Adding an exercise is one record here and one picture in
:mod:`gait.advice.exercise_pictures`; :mod:`gait.advice.exercises` checks both at import.
Which findings an exercise serves is taken from ``FINDING_EXERCISES`` only,
so the ranking and the records cannot disagree.
"""

from __future__ import annotations

# Evidence labels: how much weight the research puts behind each kind of exercise.
CORE = "core treatment (strong evidence)"
ADJUNCT = "sensible adjunct (limited evidence)"
EXPERT = "expert opinion"

# Sources, cited once. Kept general where the exact detail would be a guess.
CROSSLEY_2016 = (
    "Crossley KM et al. 2016. Patellofemoral pain consensus statement from the 4th International "
    "Patellofemoral Pain Research Retreat, part 2: recommended physical interventions. Br J Sports Med."
)
WILLY_2019 = "Willy RW et al. 2019. Patellofemoral pain: clinical practice guidelines. J Orthop Sports Phys Ther."
LACK_2015 = (
    "Lack S et al. 2015. Proximal muscle rehabilitation is effective for patellofemoral pain: "
    "a systematic review with meta-analysis. Br J Sports Med."
)
MULLIGAN_2013 = (
    "Mulligan EP, Cook PG. 2013. Effect of plantar intrinsic muscle training on medial longitudinal "
    "arch morphology and dynamic function. Manual Therapy."
)
MCKEON_2015 = (
    "McKeon PO et al. 2015. The foot core system: a new paradigm for understanding intrinsic foot "
    "muscle function. Br J Sports Med."
)
HEIDERSCHEIT_2011 = (
    "Heiderscheit BC et al. 2011. Effects of step rate manipulation on joint mechanics during running. "
    "Med Sci Sports Exerc."
)
BARTON_2016 = (
    "Barton CJ et al. 2016. Running retraining to treat lower limb injuries: a mixed-methods study of "
    "current evidence synthesised with expert opinion. Br J Sports Med."
)
TATE_2017 = (
    "Tate JJ, Milner CE. 2017. Sound-intensity feedback during running reduces loading rates and impact peak. "
    "J Orthop Sports Phys Ther 47(8):565-569."
)
KULMALA_2013 = (
    "Kulmala JP et al. 2013. Forefoot strikers exhibit lower running-induced knee loading than rearfoot "
    "strikers. Med Sci Sports Exerc."
)

SPRING_PREREQUISITE = (
    "Only start when you can do 20 or more pain-free single-leg heel raises on each leg "
    "and knee pain stays at 3/10 or less during and after running."
)
SPRING_WARNING = (
    "Introduce gradually: two short sets, twice a week, adding a little each week. Springy landings "
    "take load off the knee but put more on the calf and Achilles, so stop for a few days if the "
    "Achilles or shin is sore the next morning."
)

AFTER_RUN_NOTE = "After your run, not before: tired thigh muscles protect the knee less during a run."

LIBRARY_INTRO = (
    "Strengthening the hips and knees together is the best-supported treatment for runner's knee, "
    "so every programme here starts with it. Foot and ankle exercises are a sensible addition that may "
    "help how your foot lands, but they are not a cure on their own. Spring (hopping and skipping) work "
    "is introduced gradually, once the basics are easy."
)

GROUP_TEXT: dict[str, tuple[str, str]] = {
    "hip_knee": (
        "Hip and knee strength",
        "The core of runner's-knee care: strong hips and thighs steer the knee and spare the kneecap. "
        "Do these whatever your results say.",
    ),
    "foot_ankle": (
        "Foot and ankle landing muscles",
        "The muscles that catch and steer the foot as it lands. A sensible addition, not a cure on their own.",
    ),
    "release": (
        "Release stiff foot and ankle joints",
        "A stiff ankle or big toe makes the foot turn out or twist to get past it. Loosen them before strength work.",
    ),
    "spring": (
        "Spring (impact) work",
        "Teaches the leg to land like a spring instead of a bang. Start only when the prerequisites are met.",
    ),
}

FINDING_LABELS: dict[str, str] = {
    "toe_out": "Foot lands pointing out",
    "toe_in": "Foot lands pointing in",
    "bang": "Foot lands with a bang (abrupt, stiff landing)",
    "twist_at_lift_off": "Foot twists as it lifts off",
    "low_cadence": "Steps could be quicker (cadence)",
    "left_right_difference": "Left and right sides differ",
    "knee_in": "Knee falls inward on landing",
    "hip_drop": "Hip drops on the other side",
    "feet_cross": "Feet cross the midline (narrow steps)",
    "heel_rolls_in": "Heel rolls in a lot after landing",
    "loud_landing": "One foot lands louder than the other",
}

# Ranked best first. The engine's finding codes are the keys.
FINDING_EXERCISES: dict[str, tuple[str, ...]] = {
    "toe_out": (
        "knee-to-wall", "big-toe-mobility", "band-inversion", "short-foot",
        "heel-raise-bent-knee", "foot-ball-release",
    ),
    "toe_in": (
        "clamshell", "side-lying-hip-abduction", "side-plank", "band-eversion",
        "single-leg-balance", "step-down",
    ),
    "bang": (
        "toe-raises", "heel-raise-bent-knee", "wall-sit", "step-down", "knee-to-wall",
        "glute-bridge", "pogo-hops", "rope-skipping", "quiet-landings",
    ),
    "twist_at_lift_off": (
        "big-toe-mobility", "heel-raise-straight-knee", "band-inversion", "band-eversion",
        "short-foot", "foot-ball-release", "line-hops",
    ),
    "low_cadence": ("rope-skipping", "a-skips", "pogo-hops", "line-hops"),
    # From the clip's sound (gait.analysis.sound): quieter landings, then the spring drills that teach them.
    "loud_landing": ("quiet-landings", "pogo-hops", "rope-skipping", "heel-raise-bent-knee", "step-down"),
    "left_right_difference": (
        "single-leg-balance", "step-down", "heel-raise-straight-knee", "side-lying-hip-abduction",
        "glute-bridge", "side-plank", "line-hops", "zig-zag-runs",
    ),
    # issue 11: hip abductor and external rotator strength for the knee falling in and the hip
    # dropping (Crossley 2016; Lack 2015); step-width and cadence cues for narrow steps (Barton
    # 2016; Heiderscheit 2011); foot muscles and hip for a heel that rolls in.
    "knee_in": (
        "side-lying-hip-abduction", "clamshell", "side-plank", "step-down", "single-leg-balance", "glute-bridge",
    ),
    "hip_drop": (
        "side-lying-hip-abduction", "side-plank", "clamshell", "step-down", "single-leg-balance",
    ),
    "feet_cross": (
        "line-hops", "a-skips", "rope-skipping", "side-lying-hip-abduction", "single-leg-balance",
    ),
    "heel_rolls_in": (
        "band-inversion", "short-foot", "heel-raise-straight-knee", "single-leg-balance", "clamshell",
    ),
}

# Everyone gets these, findings or not (Crossley 2016; Willy 2019; Lack 2015).
HIP_KNEE_CORE: tuple[str, ...] = (
    "side-lying-hip-abduction", "clamshell", "glute-bridge", "step-down", "wall-sit",
)

_HIP_KNEE = [
    {
        "id": "side-lying-hip-abduction",
        "name": "Side-lying hip abduction",
        "group": "hip_knee",
        "trains": "The side hip muscles (gluteus medius) that stop the knee from dropping inwards.",
        "why": "Weak side-hip muscles let the thigh roll in on landing, which loads the kneecap. "
        "Strengthening them reduces runner's-knee pain in trials.",
        "steps": (
            "Lie on your side, bottom knee bent, top leg straight and in line with your body.",
            "Turn the top toes slightly down, so the heel leads.",
            "Lift the top leg to about 30 cm, keeping the hips stacked.",
            "Lower slowly over 3 seconds.",
        ),
        "dose": "3 sets of 10-15 each side, 3 times a week.",
        "progress": "Add an ankle weight or a band around the knees; aim for 3 sets of 15 with a 3-second lowering.",
        "avoid": "Rolling the hips backwards or lifting the leg forward; that uses the wrong muscle.",
        "evidence": CORE,
        "source": LACK_2015,
    },
    {
        "id": "clamshell",
        "name": "Clamshell",
        "group": "hip_knee",
        "trains": "The hip's outward rotators, which keep the knee over the foot.",
        "why": "If the thigh twists in as you land, the knee and foot point different ways. "
        "This muscle group is part of the hip work that helps runner's knee.",
        "steps": (
            "Lie on your side with hips and knees bent, feet together.",
            "Keep your feet touching and open the top knee like a clamshell.",
            "Stop before your pelvis rolls back.",
            "Close slowly over 3 seconds.",
        ),
        "dose": "3 sets of 15 each side, 3 times a week.",
        "progress": "Add a loop band above the knees, then a stronger band.",
        "avoid": "Rolling the pelvis backwards to make the movement look bigger.",
        "evidence": CORE,
        "source": LACK_2015,
    },
    {
        "id": "side-plank",
        "name": "Side plank",
        "group": "hip_knee",
        "trains": "Side hip and trunk muscles working together to hold the pelvis level.",
        "why": "A level pelvis on one leg keeps the knee in line. It trains the same hip muscles "
        "as the lying exercises, but in a harder, more running-like way.",
        "steps": (
            "Lie on your side, elbow under your shoulder, knees bent.",
            "Lift your hips so your body is straight from head to knees.",
            "Hold, breathing normally, without letting the hips sag.",
            "Lower and rest, then repeat on the other side.",
        ),
        "dose": "3 holds of 20-30 seconds each side, 3 times a week.",
        "progress": "Straighten the legs (feet stacked), then lift the top leg while holding.",
        "avoid": "Sagging hips or pain in the shoulder; drop to the knees if needed.",
        "evidence": CORE,
        "source": CROSSLEY_2016,
    },
    {
        "id": "glute-bridge",
        "name": "Glute bridge",
        "group": "hip_knee",
        "trains": "The buttock muscles (gluteus maximus) that extend the hip and absorb landing.",
        "why": "Strong hip extensors share the landing work the thigh would otherwise do alone, "
        "so the kneecap gets less load.",
        "steps": (
            "Lie on your back, knees bent, feet flat and hip-width apart.",
            "Squeeze your buttocks and lift the hips until knees, hips and shoulders line up.",
            "Hold for 2 seconds at the top.",
            "Lower slowly.",
        ),
        "dose": "3 sets of 12-15, 3 times a week.",
        "progress": "Single-leg bridge; then feet on a step or a weight across the hips.",
        "avoid": "Arching the lower back instead of using the buttocks.",
        "evidence": CORE,
        "source": CROSSLEY_2016,
    },
    {
        "id": "step-down",
        "name": "Step-down (forward or lateral)",
        "group": "hip_knee",
        "after_run_only": True,
        "trains": "Thigh (quadriceps) and hip control while the knee bends under body weight.",
        "why": "It trains exactly the moment that hurts: a bending knee under load, as on stairs "
        "or downhill. Combined hip and knee work like this is the core treatment.",
        "steps": (
            "Stand on a low step (10-15 cm) on one leg.",
            "Slowly lower the other heel towards the floor in front or to the side.",
            "Keep the standing knee pointing over the second toe and the pelvis level.",
            "Tap the heel lightly, then straighten back up.",
        ),
        "dose": "3 sets of 10 each leg, 3 times a week; pain up to 3/10 is acceptable.",
        "progress": "Higher step, slower lowering (4 seconds), then hold a weight.",
        "avoid": "The knee diving inwards or the hip dropping; doing it before a run.",
        "evidence": CORE,
        "source": WILLY_2019,
    },
    {
        "id": "wall-sit",
        "name": "Wall sit (or Spanish squat)",
        "group": "hip_knee",
        "after_run_only": True,
        "trains": "Thigh muscles (quadriceps) holding the knee bent, without movement.",
        "why": "Holding a bent knee still is often less painful than moving it, so it builds the "
        "thigh strength the knee needs even when squats still hurt.",
        "steps": (
            "Stand with your back against a wall, feet a step in front of you.",
            "Slide down until the knees bend to a comfortable angle (start shallow).",
            "Keep the knees over the feet and your weight through the heels.",
            "Hold, breathing normally, then slide back up.",
        ),
        "dose": "5 holds of 30-45 seconds, 3 times a week; pain up to 3/10 is acceptable.",
        "progress": "Sit deeper, hold longer, or do a Spanish squat: a strap behind the knees "
        "anchored to a post, sitting back into it.",
        "avoid": "Going so deep that pain rises above 3/10; doing it before a run.",
        "evidence": CORE,
        "source": CROSSLEY_2016,
    },
]

_FOOT_ANKLE = [
    {
        "id": "band-inversion",
        "name": "Band inversion (tibialis posterior)",
        "group": "foot_ankle",
        "trains": "Tibialis posterior, the deep calf muscle that holds up the arch as the foot lands.",
        "why": "It slows the arch flattening and the shin turning in after landing. A tired one "
        "lets the foot roll and turn out.",
        "steps": (
            "Sit with the band looped around the forefoot, anchored to the outside.",
            "Keep the heel on the floor and the knee still.",
            "Turn the sole of the foot inwards and up against the band.",
            "Return slowly over 3 seconds.",
        ),
        "dose": "3 sets of 15, every other day.",
        "progress": "Stronger band; then single-leg heel raises holding a ball between the ankles.",
        "avoid": "Turning the whole leg instead of the foot.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
    {
        "id": "band-eversion",
        "name": "Band eversion (peroneals)",
        "group": "foot_ankle",
        "trains": "The peroneal muscles on the outside of the shin that steady the ankle.",
        "why": "They stop the foot rolling out on landing and press the big-toe side down as you "
        "push off, so the foot leaves the ground straight.",
        "steps": (
            "Sit with the band looped around the forefoot, anchored to the inside.",
            "Keep the heel on the floor and the knee still.",
            "Turn the sole of the foot outwards against the band.",
            "Return slowly over 3 seconds.",
        ),
        "dose": "3 sets of 15, every other day.",
        "progress": "Stronger band; then balance on one leg on a cushion.",
        "avoid": "Turning the whole leg instead of the foot.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
    {
        "id": "toe-raises",
        "name": "Toe raises (tibialis anterior)",
        "group": "foot_ankle",
        "trains": "Tibialis anterior, the shin muscle that lowers the forefoot gently after the heel lands.",
        "why": "When it is weak the forefoot slaps down and the landing is abrupt; a strong one "
        "turns the bang into a roll.",
        "steps": (
            "Stand with your back against a wall, heels about a foot's length away.",
            "Lift your toes and forefoot as high as you can, heels down.",
            "Lower slowly over 3 seconds.",
        ),
        "dose": "3 sets of 20, every other day.",
        "progress": "Stand further from the wall, or do it on one leg.",
        "avoid": "Bending at the hips to fake the lift.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
    {
        "id": "heel-raise-straight-knee",
        "name": "Heel raises, straight knee",
        "group": "foot_ankle",
        "trains": "The calf (gastrocnemius) and the push-off through the big toe.",
        "why": "The calf takes much of each landing. A strong, even push-off on both sides keeps "
        "the foot from twisting as it leaves the ground.",
        "steps": (
            "Stand on one leg on the edge of a step, holding a wall lightly.",
            "Rise as high as you can, pushing through the big toe.",
            "Lower slowly over 3 seconds until the heel is just below the step.",
        ),
        "dose": "3 sets of 15 each leg, every other day.",
        "progress": "Aim for 25 in a row on each leg; then hold a weight.",
        "avoid": "Rolling onto the little-toe side at the top.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
    {
        "id": "heel-raise-bent-knee",
        "name": "Heel raises, bent knee",
        "group": "foot_ankle",
        "trains": "The deep calf (soleus), which absorbs the most load in running.",
        "why": "A strong soleus lets the ankle give on landing, so the knee and hips do not have "
        "to take the jolt.",
        "steps": (
            "Stand on both feet, knees bent about 30 degrees, hands on a wall.",
            "Keep the knees bent and rise onto the balls of the feet.",
            "Lower slowly over 3 seconds.",
        ),
        "dose": "3 sets of 15, every other day.",
        "progress": "Single leg; then hold a weight.",
        "avoid": "Straightening the knees as you rise.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
    {
        "id": "short-foot",
        "name": "Short foot (doming)",
        "group": "foot_ankle",
        "trains": "The small muscles inside the foot that shape the arch.",
        "why": "They make the arch a spring instead of a flat board, which helps the foot land "
        "and roll through in line.",
        "steps": (
            "Sit with the foot flat on the floor.",
            "Draw the ball of the foot towards the heel without curling the toes, so the arch domes up.",
            "Hold for 5 seconds, then relax.",
        ),
        "dose": "3 sets of 10 holds, daily.",
        "progress": "Standing, then on one leg, then during a heel raise.",
        "avoid": "Curling or clawing the toes.",
        "evidence": ADJUNCT,
        "source": MULLIGAN_2013,
    },
    {
        "id": "single-leg-balance",
        "name": "Single-leg balance",
        "group": "foot_ankle",
        "trains": "Balance and the many small reactions of foot, ankle, knee and hip on one leg.",
        "why": "Running is a series of one-leg landings. Balancing on the weaker side trains it to "
        "catch you as steadily as the other.",
        "steps": (
            "Stand barefoot on one leg, knee soft, near a wall for safety.",
            "Keep the pelvis level and the knee over the second toe.",
            "Hold for 30 seconds, then switch legs.",
        ),
        "dose": "3 holds of 30 seconds each leg, daily.",
        "progress": "Close your eyes, stand on a cushion, or swing the arms as if running.",
        "avoid": "Locking the knee straight or gripping with the toes.",
        "evidence": ADJUNCT,
        "source": MCKEON_2015,
    },
]

_RELEASE = [
    {
        "id": "knee-to-wall",
        "name": "Knee to wall (ankle bend)",
        "group": "release",
        "trains": "How far the shin can tip forward over the foot (ankle dorsiflexion).",
        "why": "A stiff ankle cannot give on landing, so the foot turns out or the knee takes the "
        "jolt. More ankle bend lets the leg absorb impact.",
        "steps": (
            "Face a wall in a lunge, front toes a hand's width from the wall.",
            "Keep the front heel down and push the knee forward to touch the wall.",
            "Aim the knee over the second toe, not inwards.",
            "Move the foot back a little when it gets easy.",
        ),
        "dose": "2 sets of 15 slow touches each side, daily.",
        "progress": "Increase the distance from the wall; aim for about 10 cm or matching both sides.",
        "avoid": "Lifting the heel or letting the arch collapse.",
        "evidence": EXPERT,
        "source": "Expert opinion; ankle stiffness as a driver of stiff landings, see Barton CJ et al. "
        "2016, Br J Sports Med.",
    },
    {
        "id": "big-toe-mobility",
        "name": "Big-toe mobility",
        "group": "release",
        "trains": "How far the big toe bends back, needed to roll straight off the foot.",
        "why": "If the big toe is stiff the foot twists out to get round it at push-off. "
        "Freeing it lets the foot leave the ground in line.",
        "steps": (
            "Sit with the foot across the other knee.",
            "Hold the foot just behind the big toe with one hand.",
            "Gently bend the big toe back with the other hand and hold for 5 seconds.",
            "Then kneel with toes tucked under for 30 seconds if comfortable.",
        ),
        "dose": "10 slow bends and a 30-second kneel, daily.",
        "progress": "Longer kneeling holds, then heel raises pushing through the big toe.",
        "avoid": "Forcing into sharp pain at the base of the toe.",
        "evidence": EXPERT,
        "source": "Expert opinion; foot function as in McKeon PO et al. 2015, Br J Sports Med.",
    },
    {
        "id": "foot-ball-release",
        "name": "Foot self-massage with a ball",
        "group": "release",
        "trains": "Comfort and suppleness of the sole of the foot.",
        "why": "A tight sole can make the foot feel stiff on landing. Rolling it often makes the "
        "following exercises feel easier; it does not change the structure of the foot.",
        "steps": (
            "Sit or stand with a tennis or massage ball under one foot.",
            "Roll slowly from heel to toes with moderate pressure.",
            "Pause on tender spots for 10 seconds.",
        ),
        "dose": "1-2 minutes each foot, daily or before foot exercises.",
        "progress": "Stand to add pressure, or use a firmer ball.",
        "avoid": "Pressing so hard it hurts, or rolling a bruised or swollen heel.",
        "evidence": EXPERT,
        "source": "Expert opinion; no trial in runner's knee. Foot core context: McKeon PO et al. "
        "2015, Br J Sports Med.",
    },
]

_SPRING_COMMON = {"group": "spring", "prerequisite": SPRING_PREREQUISITE, "warning": SPRING_WARNING}

_SPRING = [
    {
        **_SPRING_COMMON,
        "id": "pogo-hops",
        "name": "Pogo hops",
        "trains": "Springy, quick ground contacts with the ankle doing the work.",
        "why": "Teaches the leg to land like a spring. Landing softer and more on the forefoot "
        "cuts knee load, but moves it to the calf, so it must build slowly.",
        "steps": (
            "Stand tall, feet hip-width apart.",
            "Hop gently on both feet with knees nearly straight, bouncing off the balls of the feet.",
            "Stay quiet: aim for soft, quick contacts.",
            "Stop after 20 hops, rest, repeat.",
        ),
        "dose": "2 sets of 20 hops, twice a week, to start.",
        "progress": "Add a set a week; then single-leg pogo hops.",
        "avoid": "Loud, flat-footed landings; hopping through calf or Achilles pain.",
        "evidence": EXPERT,
        "source": KULMALA_2013,
    },
    {
        **_SPRING_COMMON,
        "id": "quiet-landings",
        "name": "Quiet-landing runs",
        "trains": "Softer, quieter landings while running, guided by your own ears.",
        "why": "How loud a landing sounds follows how hard it hits: runners who learned to land more quietly, "
        "guided by the sound, lowered their impact loading. No gadget needed, just listening.",
        "steps": (
            "Run easily somewhere you can hear your feet: a track, a corridor or a quiet road.",
            "Listen to your landings for a minute; notice if one side is louder.",
            "Make every landing quieter: land a little softer, foot under your hips, slightly quicker steps.",
            "Run 1 minute quiet, 1 minute normal, and repeat.",
        ),
        "dose": "5-10 minutes within an easy run, two or three times a week.",
        "progress": "Longer quiet stretches, then keep them quiet on the faster parts of a run.",
        "avoid": "Running on tiptoe to be quiet (it overloads the calf), or pushing on through knee pain above 3/10.",
        "evidence": ADJUNCT,
        "source": TATE_2017,
    },
    {
        **_SPRING_COMMON,
        "id": "a-skips",
        "name": "A-skips",
        "trains": "Quick foot placement under the body and rhythm of quick steps.",
        "why": "Practising short, quick contacts under the hips makes a slightly higher cadence "
        "feel natural, and a 5-10 % higher cadence lowers knee load.",
        "steps": (
            "Walk tall, then add a small skip on each step.",
            "Lift one knee to hip height as the other foot skips.",
            "Put the foot down under your hips, not in front.",
            "Cover 20 metres, walk back, repeat.",
        ),
        "dose": "3-4 lengths of 20 metres, twice a week, before an easy run.",
        "progress": "Faster rhythm, then straight into 100 metres of easy running.",
        "avoid": "Reaching the foot far forward or landing heavily on the heel.",
        "evidence": EXPERT,
        "source": HEIDERSCHEIT_2011,
    },
    {
        **_SPRING_COMMON,
        "id": "rope-skipping",
        "name": "Rope skipping",
        "trains": "Light, quick contacts at a running rhythm.",
        "why": "A brisk, low skipping rhythm is close to a good running cadence, and the rope "
        "rewards quiet, springy landings.",
        "steps": (
            "Use a rope (or mime one) and stand on a firm, even surface.",
            "Skip on both feet, barely clearing the ground.",
            "Keep the landings quiet and on the balls of the feet.",
            "Skip for 30 seconds, rest 30 seconds.",
        ),
        "dose": "5 rounds of 30 seconds, twice a week.",
        "progress": "Longer rounds; alternate feet like running.",
        "avoid": "Jumping high or landing with a thud.",
        "evidence": EXPERT,
        "source": HEIDERSCHEIT_2011,
    },
    {
        **_SPRING_COMMON,
        "id": "line-hops",
        "name": "Line hops",
        "trains": "Quick, controlled landings side to side and front to back.",
        "why": "Hopping over a line on each leg shows and trains the weaker side, with the knee "
        "kept in line on every landing.",
        "steps": (
            "Stand next to a line on the floor, on both feet to start.",
            "Hop side to side over the line, landing softly.",
            "Then hop forwards and backwards over it.",
            "Keep the knees over the toes on every landing.",
        ),
        "dose": "2 sets of 20 seconds each direction, twice a week.",
        "progress": "Single-leg line hops, starting with the stronger leg.",
        "avoid": "Knees collapsing inwards, or continuing when landings get sloppy.",
        "evidence": EXPERT,
        "source": BARTON_2016,
    },
    {
        **_SPRING_COMMON,
        "id": "zig-zag-runs",
        "name": "Zig-zag runs",
        "trains": "Landing and pushing off while changing direction.",
        "why": "Running is not always straight. Gentle zig-zags teach each leg to land and push off "
        "at an angle without the knee giving way.",
        "steps": (
            "Set 6 markers in a zig-zag, about 3 metres apart.",
            "Jog easily around them, changing direction at each marker.",
            "Shorten your steps before each turn.",
            "Walk back and repeat.",
        ),
        "dose": "4 runs through the course, once or twice a week, after a warm-up.",
        "progress": "Sharper angles, then a bit faster.",
        "avoid": "Sharp cuts at speed before straight running is pain-free.",
        "evidence": EXPERT,
        "source": BARTON_2016,
    },
]

#: Every exercise record, in the order the library shows them within a group.
EXERCISES: tuple[dict, ...] = tuple(_HIP_KNEE + _FOOT_ANKLE + _RELEASE + _SPRING)
