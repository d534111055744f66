"""A minimal SMTP sink for benchmarks, in the spirit of Postfix's ``smtp-sink``: it answers
every command at once, discards the messages and records when each one was accepted.

It speaks just enough SMTP for a real client (EHLO/HELO, MAIL, RCPT, DATA with dot
stuffing, RSET, NOOP, QUIT) and runs in its own process, so that the benchmark measures the
sender rather than a full Python mail server sharing its CPU.

    python bench/tools/smtp_sink.py PORT COUNT
    # prints "ready", then "first" when the first message is accepted, then, after COUNT
    # messages, "<count> <first> <last>" (time.monotonic(), comparable across processes)
"""

from __future__ import annotations

import asyncio
import sys
import time


class Sink(asyncio.Protocol):
    def __init__(self, state: dict[str, object], done: asyncio.Event) -> None:
        self.state, self.done = state, done
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0 and self.buffer.startswith(b".\r\n"):
                    end, skip = 0, 3
                elif end >= 0:
                    skip = end + 5
                else:
                    # Keep the tail that may hold the start of the terminator.
                    self.buffer = self.buffer[-4:] if len(self.buffer) > 4 else self.buffer
                    break
                self.buffer = self.buffer[skip:]
                self.in_data = False
                self._accepted()
                replies.append(b"250 2.0.0 Ok: queued\r\n")
                continue
            line, sep, rest = self.buffer.partition(b"\r\n")
            if not sep:
                break
            self.buffer = rest
            verb = line[:4].upper()
            if verb in (b"EHLO",):
                replies.append(b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"DATA":
                self.in_data = True
                replies.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                replies.append(b"221 Bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                replies.append(b"250 Ok\r\n")
        if replies:
            self.transport.write(b"".join(replies))

    def _accepted(self) -> None:
        now = time.monotonic()
        state = self.state
        if state["first"] is None:
            state["first"] = now
            print("first", flush=True)
        state["last"] = now
        state["count"] = int(state["count"]) + 1  # type: ignore[call-overload]
        if state["count"] == state["target"]:
            self.done.set()


async def main(port: int, count: int) -> None:
    state: dict[str, object] = {"first": None, "last": None, "count": 0, "target": count}
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Sink(state, done), "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await done.wait()
    print(state["count"], state["first"], state["last"], flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
