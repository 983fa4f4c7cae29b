"""Loaded models, kept once per worker process (no Django imports).

Engines ask `MODELS.get(key, loader)`: the first call in a process loads, later calls reuse. A
worker holds only a few big models; the least recently used one is dropped past `capacity`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class ModelCache:
    def __init__(self, capacity: int = 3) -> None:
        self.capacity = capacity
        self._models: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.loads = 0

    def get(self, key: str, loader: Callable[[], Any]) -> Any:
        """The model under `key`, loading it with `loader` the first time in this process."""
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
            model = loader()
            self.loads += 1
            self._models[key] = model
            while len(self._models) > self.capacity:
                self._models.popitem(last=False)
            return model

    def __contains__(self, key: str) -> bool:
        return key in self._models

    def clear(self) -> None:
        with self._lock:
            self._models.clear()


MODELS = ModelCache()
