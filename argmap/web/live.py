"""Every change, from any writer, told to every open page as a server-sent event.

One thread per server process waits on the store (``Argmap.watcher``: LISTEN on PostgreSQL,
the latest revision on SQLite), reads what each new change touched (``announcements``) and
hands it to the event loop, which copies it into each open stream's queue. A stream that
falls too far behind is closed (its page reconnects and reloads); streams per person are
bounded.
"""

import asyncio
import json
import logging
import threading
from typing import AsyncIterator, Optional

from argmap.errors import TooMany

log = logging.getLogger("argmap.web")
QUEUE = 1_000  # announcements a stream may fall behind by before it is closed
KEEP_ALIVE_S = 15.0


class Broadcaster:
    def __init__(self, service, max_streams_per_person: int):
        self.service = service
        self.max_streams = max_streams_per_person
        self.streams: dict[asyncio.Queue, str] = {}
        self.per_person: dict[str, int] = {}
        self.head = 0
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self.stopping = threading.Event()
        self.thread: Optional[threading.Thread] = None

    # --- the watching thread -------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.head = self.service.head()
        self.thread = threading.Thread(target=self._watch, name="argmap-watch", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        watcher = None
        while not self.stopping.is_set():
            try:
                if watcher is None:
                    watcher = self.service.watcher()
                head = watcher.wait(1.0)
                while head > self.head and not self.stopping.is_set():
                    found = self.service.announcements(self.head)
                    if not found:
                        break
                    for item in found:
                        self.loop.call_soon_threadsafe(self._publish, item)
                    self.head = found[-1]["rev"]
            except Exception as exc:  # the database went away for a moment: try again shortly
                if self.stopping.is_set():
                    break
                log.warning("watching the store for changes: %s", type(exc).__name__)
                if watcher is not None:
                    watcher.close()
                    watcher = None
                self.stopping.wait(1.0)
        if watcher is not None:
            watcher.close()

    def _publish(self, item: Optional[dict]) -> None:
        for queue in list(self.streams):
            if item is not None and queue.qsize() >= QUEUE:  # too slow: closed; its page reconnects and reloads
                self._drop(queue)
                item_for_it = None
            else:
                item_for_it = item
            queue.put_nowait(item_for_it)

    def end_streams(self) -> None:
        """From any thread: close every open stream, and open no more."""
        self.stopping.set()
        if self.loop is not None and not self.loop.is_closed():
            try:
                self.loop.call_soon_threadsafe(self._publish, None)
            except RuntimeError:
                pass

    def stop(self) -> None:
        """End the watching thread and every open stream."""
        self.end_streams()
        if self.thread is not None:
            self.thread.join(timeout=5)

    # --- the streams ------------------------------------------------------------------------

    def open(self, person: str) -> asyncio.Queue:
        if self.stopping.is_set():
            raise TooMany("the server is stopping", 1)
        if self.per_person.get(person, 0) >= self.max_streams:
            raise TooMany(f"{person} already has {self.max_streams} event streams open: close a page first", 5)
        queue: asyncio.Queue = asyncio.Queue()
        self.streams[queue] = person
        self.per_person[person] = self.per_person.get(person, 0) + 1
        return queue

    def close(self, queue: asyncio.Queue) -> None:
        """A stream that will not be served after all."""
        self._drop(queue)

    def _drop(self, queue: asyncio.Queue) -> None:
        person = self.streams.pop(queue, None)
        if person is not None:
            self.per_person[person] -= 1
            if not self.per_person[person]:
                del self.per_person[person]

    async def stream(self, queue: asyncio.Queue, replay: list[dict]) -> AsyncIterator[bytes]:
        """The event stream of one page: what it missed, then each change as it comes."""
        try:
            yield b"retry: 1000\n: connected\n\n"
            last = 0
            for item in replay:
                last = item["rev"]
                yield event(item)
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
                except asyncio.TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                # what queued meanwhile goes in the same write: one send for many changes
                items = [item]
                while items[-1] is not None and not queue.empty():
                    items.append(queue.get_nowait())
                chunk = []
                for item in items:
                    if item is None:
                        break
                    if item["rev"] > last:
                        last = item["rev"]
                        chunk.append(event(item))
                if chunk:
                    yield b"".join(chunk)
                if item is None:
                    return
        finally:
            self._drop(queue)


def event(item: dict) -> bytes:
    return f"id: {item['rev']}\nevent: change\ndata: {json.dumps(item, ensure_ascii=False)}\n\n".encode("utf-8")
