"""Bounded histories for long runs: curves keep an even resolution along the whole run in bounded memory."""

from __future__ import annotations

import numpy as np


class BoundedSeries:
    """(x, y) points, at most ``max_points`` of them kept, whatever the number appended.

    When full, all points are averaged in pairs and from then on new samples are averaged in
    groups of the same size (the *stride* doubles), so every kept point stands for the same number
    of samples: memory is bounded, the resolution is even along the whole run, and old stretches
    keep their shape (means, not dropped samples).  The newest, still-filling group is included as
    the last point, so the curve always reaches the latest sample.
    """

    def __init__(self, max_points: int = 20_000) -> None:
        if max_points < 4:
            raise ValueError("max_points must be at least 4")
        self.max_points = max_points
        self._x = np.empty(max_points, dtype=np.float64)
        self._y = np.empty(max_points, dtype=np.float64)
        self.n = 0
        self.stride = 1
        self._acc = [0.0, 0.0, 0]  # sum x, sum y, count of the group being filled
        self.total_added = 0
        self.last_x = float("nan")
        self.last_y = float("nan")

    def __len__(self) -> int:
        return self.n + (1 if self._acc[2] else 0)

    def append(self, x: float, y: float) -> None:
        self.total_added += 1
        self.last_x, self.last_y = float(x), float(y)
        acc = self._acc
        acc[0] += x
        acc[1] += y
        acc[2] += 1
        if acc[2] == self.stride:
            if self.n == self.max_points:
                self._compact()
            self._x[self.n] = acc[0] / acc[2]
            self._y[self.n] = acc[1] / acc[2]
            self.n += 1
            self._acc = [0.0, 0.0, 0]

    def extend(self, xs, ys) -> None:
        for x, y in zip(xs, ys):
            self.append(x, y)

    def _compact(self) -> None:
        k = self.n // 2
        self._x[:k] = self._x[: 2 * k].reshape(-1, 2).mean(1)
        self._y[:k] = self._y[: 2 * k].reshape(-1, 2).mean(1)
        if self.n % 2:  # an odd point out: keep it (it stands for fewer samples)
            self._x[k] = self._x[self.n - 1]
            self._y[k] = self._y[self.n - 1]
            k += 1
        self.n = k
        self.stride *= 2

    @property
    def x(self) -> np.ndarray:
        if self._acc[2]:
            return np.append(self._x[: self.n], self._acc[0] / self._acc[2])
        return self._x[: self.n].copy()

    @property
    def y(self) -> np.ndarray:
        if self._acc[2]:
            return np.append(self._y[: self.n], self._acc[1] / self._acc[2])
        return self._y[: self.n].copy()

    def clear(self) -> None:
        self.n = 0
        self.stride = 1
        self._acc = [0.0, 0.0, 0]
        self.total_added = 0
