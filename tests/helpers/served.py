"""A real ``argmap serve`` for the tests: a child process on a free loopback port (port 0,
the URL read from what it prints), stopped at the end of the test, and killed with the test
run if that dies first (PR_SET_PDEATHSIG)."""

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Optional

import httpx

TOKEN = "test-token-" + "x" * 24


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Served:
    def __init__(self, proc: subprocess.Popen, url: str, output: list[str], errors: list[str]):
        self.proc, self.url, self.output, self.errors = proc, url, output, errors
        self.base = url.split("?")[0].split()[0].rstrip("/")
        self.token = url.split("token=")[1] if "token=" in url else None

    def client(self, token: Optional[str] = None, **kwargs) -> httpx.Client:
        token = token or self.token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30, **kwargs)

    def logs(self) -> str:
        return "\n".join(self.output + self.errors)


@contextmanager
def serve(location: str, *args: str, env: Optional[dict] = None, token: Optional[str] = TOKEN,
          timeout: float = 60) -> Iterator[Served]:
    full_env = {**os.environ, "ARGMAP_DB": location, **(env or {})}
    if token is not None:
        full_env["ARGMAP_SERVE_TOKEN"] = token
    else:
        full_env.pop("ARGMAP_SERVE_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "argmap", "serve", "--port", "0", *args], env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
    output: list[str] = []
    errors: list[str] = []
    first = threading.Event()

    def read(stream, into, signal_first=False):
        for line in stream:
            into.append(line.rstrip("\n"))
            if signal_first:
                first.set()
        first.set()

    threading.Thread(target=read, args=(proc.stdout, output, True), daemon=True).start()
    threading.Thread(target=read, args=(proc.stderr, errors), daemon=True).start()
    try:
        if not first.wait(timeout) or not output:
            raise AssertionError(f"argmap serve did not start: {errors}")
        served = Served(proc, output[0], output, errors)
        deadline = time.monotonic() + timeout
        while True:  # listening once the URL is printed; wait until it answers
            try:
                httpx.get(served.base + "/api/me", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"argmap serve does not answer: {errors}")
                time.sleep(0.05)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


class EventReader:
    """The change events of one stream, collected by a thread as they come."""

    def __init__(self, client: httpx.Client, since: Optional[int] = None, headers: Optional[dict] = None):
        self.client, self.found, self.status = client, [], None
        self.connected, self.ended = threading.Event(), threading.Event()
        self.params = {} if since is None else {"since": since}
        self.headers = headers or {}
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if not self.connected.wait(30):
            raise AssertionError(f"the event stream did not open ({self.status})")

    def _read(self) -> None:
        import json
        try:
            with self.client.stream("GET", "/api/events", params=self.params, headers=self.headers,
                                    timeout=httpx.Timeout(30, read=None)) as r:
                self.status = r.status_code
                if r.status_code != 200:
                    self.body = r.read()
                    self.connected.set()
                    return
                data = None
                for line in r.iter_lines():
                    if line == ": connected":
                        self.connected.set()
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                    elif line == "" and data is not None:
                        self.found.append(data)
                        data = None
        except Exception:
            pass
        finally:
            self.connected.set()
            self.ended.set()

    def wait_for(self, count: int, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.found) < count and time.monotonic() < deadline and not self.ended.is_set():
            time.sleep(0.02)
        return list(self.found)
