"""Runtime pieces of the umockdev scenario driver: deadlines, the program under test and
its logs, and the thread that plays a meter on a PTY master."""

import errno
import os
import re
import select
import signal
import subprocess
import threading
import time


class ScenarioTimeout(Exception):
    """A bounded wait ran out; the message says which."""


class Clock:
    """Monotonic time since the scenario started, and the global deadline."""

    def __init__(self, total_seconds):
        self.start = time.monotonic()
        self.deadline = self.start + total_seconds

    def elapsed(self):
        return time.monotonic() - self.start

    def log(self, message):
        print("[%7.3fs] %s" % (self.elapsed(), message), flush=True)

    def wait_until(self, predicate, seconds, what, interval=0.02):
        """Polls `predicate` until true; raises ScenarioTimeout after `seconds` or at the
        global deadline, whichever is first."""
        limit = min(time.monotonic() + seconds, self.deadline)
        while True:
            if predicate():
                return
            if time.monotonic() >= limit:
                scope = "global timeout" if limit == self.deadline else "%.1fs" % seconds
                raise ScenarioTimeout("waited %s for %s" % (scope, what))
            time.sleep(interval)


class Program:
    """The command under test, started inside the testbed; stdout and stderr go to files."""

    def __init__(self, argv, workdir, clock):
        self.argv = argv
        self.clock = clock
        self.stdout_path = os.path.join(workdir, "daemon.stdout")
        self.stderr_path = os.path.join(workdir, "daemon.stderr")
        self.process = None
        self.killed = False
        self.terminated = False
        self.ended = False

    def start(self):
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                            env=dict(os.environ), close_fds=True)
        self.clock.log("started %s (pid %d)" % (" ".join(self.argv), self.process.pid))

    def running(self):
        return self.process is not None and self.process.poll() is None

    def log_mark(self):
        """Current sizes of the two log files: a point to search from."""
        return tuple(_size(p) for p in (self.stdout_path, self.stderr_path))

    def matched_since(self, pattern, mark):
        """True when a complete line written after `mark` matches `pattern`."""
        regex = re.compile(pattern)
        for path, offset in zip((self.stdout_path, self.stderr_path), mark):
            with open(path, "rb") as log:
                log.seek(offset)
                text = log.read().decode("utf-8", "replace")
            complete = text[:text.rfind("\n") + 1]
            if any(regex.search(line) for line in complete.splitlines()):
                return True
        return False

    def wait_for_line(self, pattern, mark, seconds):
        def seen_or_gone():
            return self.matched_since(pattern, mark) or not self.running()
        self.clock.wait_until(seen_or_gone, seconds, "a log line matching /%s/" % pattern)
        if not self.matched_since(pattern, mark):
            raise ScenarioTimeout("the program exited before printing a line matching /%s/" % pattern)

    def stop(self, term_timeout):
        """SIGTERM, then SIGKILL after `term_timeout` seconds."""
        if self.process is None or self.ended:
            return
        self.ended = True
        if self.running():
            self.terminated = True
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=term_timeout)
            except subprocess.TimeoutExpired:
                self.killed = True
                self.process.kill()
                self.process.wait(timeout=10)
        self.clock.log("program ended with %s" % self.process.returncode)

    def summary(self):
        code = None if self.process is None else self.process.returncode
        return {"argv": self.argv, "pid": self.process.pid if self.process else None,
                "exitStatus": code if code is not None and code >= 0 else None,
                "signal": -code if code is not None and code < 0 else None,
                "sentSigterm": self.terminated, "killed": self.killed,
                "stdout": self.stdout_path, "stderr": self.stderr_path}


def _write_whole(fd, data):
    """Writes all of `data` to a blocking fd."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Sampler(threading.Thread):
    """Samples the program's VmRSS (KiB, /proc/PID/status) and the size of its stderr twice a
    second: `samples` is a list of {t, rssKiB, stderrBytes}."""

    def __init__(self, program, clock, every=0.5):
        super().__init__(daemon=True)
        self.program, self.clock, self.every = program, clock, every
        self.samples = []
        self.lock = threading.Lock()
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            rss = None
            try:
                with open("/proc/%d/status" % self.program.process.pid) as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
            except OSError:
                pass
            sample = {"t": round(self.clock.elapsed(), 2), "rssKiB": rss, "stderrBytes": _size(self.program.stderr_path)}
            with self.lock:
                self.samples.append(sample)
            self._halt.wait(self.every)

    def stop(self):
        self._halt.set()
        self.join(timeout=2)

    def snapshot(self):
        with self.lock:
            return list(self.samples)


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class MeterPlayer(threading.Thread):
    """Plays a meter on a PTY master until stopped. While the program has not opened the
    tty, reading the master fails with EIO; the player then retries every 20 ms."""

    def __init__(self, master, meter, clock, reply_delay=0.0, spray=None):
        super().__init__(daemon=True)
        self.master, self.meter, self.clock = master, meter, clock
        # Seconds before each reply: a real meter needs wire time (8 bytes at 19200 baud is 4 ms).
        self.reply_delay = reply_delay
        # Garbage written before each reply (line_noise.TaiDocSpray), or None.
        self.spray = spray
        self.lock = threading.Lock()
        self.last_frame_at = time.monotonic()
        self.error = None
        self._halt = threading.Event()

    def run(self):
        try:
            while not self._halt.is_set():
                readable, _, _ = select.select([self.master], [], [], 0.1)
                self._unprompted()
                if not readable:
                    continue
                try:
                    data = os.read(self.master, 512)
                except OSError as error:
                    if error.errno != errno.EIO:
                        raise
                    self._halt.wait(0.02)
                    continue
                if not data:
                    self._halt.wait(0.02)
                    continue
                with self.lock:
                    reply = self.meter.feed(data)
                    self.last_frame_at = time.monotonic()
                if reply:
                    self._write_reply(reply)
        except OSError as error:
            self.error = "meter player: %s" % error

    def _write_reply(self, reply):
        """Writes a reply after the reply delay. A meter that dumps its memory as text lines
        (`paced`) sends them one by one, the delay before each, and stops at an unplug;
        `wrote(chunk)` tells it what left, so a scenario can cut after K record lines."""
        chunks = [reply]
        if self.reply_delay > 0 and hasattr(self.meter, "paced"):
            chunks = self.meter.paced(reply)
        if self.spray is not None:
            _write_whole(self.master, self.spray.piece())
        for chunk in chunks:
            if self.reply_delay > 0 and self._halt.wait(self.reply_delay):
                return
            os.write(self.master, chunk)
            if hasattr(self.meter, "wrote"):
                with self.lock:
                    self.meter.wrote(chunk)

    def _unprompted(self):
        """What a meter that speaks first (an SD CodeFree's challenge) sends by itself."""
        if not hasattr(self.meter, "unprompted"):
            return
        with self.lock:
            data = self.meter.unprompted(time.monotonic())
        if data:
            try:
                os.write(self.master, data)
            except OSError as error:
                if error.errno != errno.EIO:
                    raise

    def stop(self):
        self._halt.set()
        self.join(timeout=2)

    def snapshot(self, read):
        """Calls `read(meter)` under the lock, so counts are consistent."""
        with self.lock:
            return read(self.meter)

    def when_quiet(self, seconds, change):
        """Calls `change(meter)` under the lock if no host frame arrived for `seconds`;
        returns whether it did."""
        with self.lock:
            if time.monotonic() - self.last_frame_at < seconds:
                return False
            change(self.meter)
            return True

    def quiet_for(self):
        with self.lock:
            return time.monotonic() - self.last_frame_at
