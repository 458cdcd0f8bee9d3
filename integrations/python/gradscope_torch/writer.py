"""The background thread that writes trace lines.

The training thread hands it dictionaries of Python numbers (already off the device) through a
queue; the thread formats them as JSON lines, NaN and infinity as null, and flushes five times a
second when there is something to write, so ``tail -f`` and a reader of a running trace follow the run.
"""

import json
import math
import queue
import threading

_POLL_SECONDS = 0.2
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
        self._stop = threading.Event()
        if header is not None:  # else the first line put() is the header
            self._write(header)
            self._file.flush()
        self._thread = threading.Thread(target=self._drain, name="gradscope trace writer", daemon=True)
        self._thread.start()

    def put(self, line):
        self._queue.put(line)

    def close(self):
        """Writes what is queued, flushes, closes the file and stops the thread."""
        self._queue.put(_STOP)
        self._stop.set()
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
        # Wakes on a timer, not on each line: a thread woken per put() takes the GIL from the
        # training loop at every step (a convoy that cost milliseconds a step); a batch every
        # POLL seconds costs it next to nothing and still flushes well within a second.
        while True:
            stopping = self._stop.wait(_POLL_SECONDS)
            while True:
                try:
                    line = self._queue.get_nowait()
                except queue.Empty:
                    break
                if line is _STOP:
                    stopping = True
                    continue
                self._count(line)
                self._write(line)
            self._flush()
            if stopping and self._queue.empty():
                return
