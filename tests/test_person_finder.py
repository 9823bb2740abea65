"""PersonFinder: a far person the pose model barely believes on the whole picture is looked for in a window."""

from __future__ import annotations

import numpy as np

from gait.analysis.pose import LM, FramePose, PersonFinder


class _FarPersonModel:
    """Sees the person well only when they fill a good share of its input: in a window, not the whole frame."""

    def __init__(self, frame_w: int, person_xy: tuple[float, float]) -> None:
        self.frame_w = frame_w
        self.person_xy = person_xy
        self.calls: list[tuple[int, int]] = []

    def reset(self) -> None:
        pass

    def process(self, rgb: np.ndarray) -> FramePose | None:
        h, w = rgb.shape[:2]
        self.calls.append((w, h))
        img = np.zeros((33, 3))
        whole = w == self.frame_w
        vis = np.full(33, 0.03 if whole else 0.95)  # the whole picture: a barely believed guess
        # The crop's own coordinates of a point marked in the frame (the test knows where the person is).
        img[:, 0], img[:, 1] = 0.5, 0.5
        img[LM.L_HIP, :2] = (0.55, 0.5)
        img[LM.R_HIP, :2] = (0.45, 0.5)
        return FramePose(image_xyz=img, world_xyz_m=np.zeros((33, 3)), visibility=vis)


def test_a_barely_believed_pose_is_replaced_by_a_window_where_the_model_sees_the_person():
    frame = np.zeros((1920, 1080, 3), np.uint8)
    model = _FarPersonModel(1080, (0.5, 0.5))
    finder = PersonFinder(model)
    pose = finder.process(frame)
    assert pose is not None
    assert np.median(pose.visibility) > 0.5  # the window's pose, not the whole picture's guess
    assert len(model.calls) >= 2 and model.calls[1][0] < 1080  # a window was tried


def test_a_weak_pose_is_kept_when_no_window_does_better():
    class _AlwaysWeak(_FarPersonModel):
        def process(self, rgb):
            pose = super().process(rgb)
            return FramePose(pose.image_xyz, pose.world_xyz_m, np.full(33, 0.03))

    finder = PersonFinder(_AlwaysWeak(1080, (0.5, 0.5)))
    pose = finder.process(np.zeros((1920, 1080, 3), np.uint8))
    assert pose is not None and np.median(pose.visibility) < 0.1
