"""The background thread that writes trace lines.

The training thread hands it dictionaries of Python numbers (already off the device) through a
queue; the thread formats them as JSON lines, NaN and infinity as null, and flushes at least once
a second, so ``tail -f`` and a reader of a running trace follow the run.
"""

import json
import math
import queue
import threading
import time

FLUSH_SECONDS = 1.0
_POLL_SECONDS = 0.25
_STOP = object()


def clean(value):
    """JSON has no NaN or infinity: the trace format writes them as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


class LineWriter:
    """Writes queued objects to ``path`` as JSON lines on a daemon thread."""

    def __init__(self, path, header):
        self._file = open(path, "w", encoding="utf-8")
        self._queue = queue.SimpleQueue()
        self.error = None
        self.step_lines = 0
        self._write(header)
        self._file.flush()
        self._thread = threading.Thread(target=self._drain, name="gradscope trace writer", daemon=True)
        self._thread.start()

    def put(self, line):
        self._queue.put(line)

    def close(self):
        """Writes what is queued, flushes, closes the file and stops the thread."""
        self._queue.put(_STOP)
        self._thread.join()
        self._file.close()

    def _write(self, line):
        if self.error is not None:
            return
        try:
            self._file.write(json.dumps(clean(line), separators=(",", ":"), allow_nan=False))
            self._file.write("\n")
        except (OSError, ValueError) as error:
            self.error = error

    def _count(self, line):
        # The end line's "steps" is the step lines written, even when Ctrl-C cut step() short.
        kind = line.get("type")
        if kind == "step":
            self.step_lines += 1
        elif kind == "end" and line.get("steps") is None:
            line["steps"] = self.step_lines

    def _flush(self):
        if self.error is None:
            try:
                self._file.flush()
            except OSError as error:
                self.error = error

    def _drain(self):
        last_flush = time.monotonic()
        while True:
            try:
                line = self._queue.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                line = None
            if line is _STOP:
                self._flush()
                return
            if line is not None:
                self._count(line)
                self._write(line)
            if time.monotonic() - last_flush >= FLUSH_SECONDS:
                self._flush()
                last_flush = time.monotonic()
