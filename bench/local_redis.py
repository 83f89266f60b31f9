"""A redis-server of one's own on a free loopback port, without persistence (the
machine's redis serves other people). The worker tests (tests/celery), the mixed load
bench (bench/mix.py) and the chaos bench (bench/chaos.py) start theirs with this; it
imports nothing of the project, so it works from a bench script and from the test suite
alike.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    """Whether a redis on `port` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_binary() -> str | None:
    return shutil.which("redis-server")


def redis_command(binary: str, port: int, directory: str | Path) -> list[str]:
    """redis-server on loopback `port`, without persistence, its files in `directory`."""
    return [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(directory)]  # fmt: skip


def start_redis_server(binary: str, port: int, directory: str | Path) -> subprocess.Popen:
    """redis-server on `port`, once it answers; RuntimeError if it does not within 10 s."""
    server = subprocess.Popen(  # noqa: S603 (our own redis-server, arguments built here)
        redis_command(binary, port, directory),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not answers(port):
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.05)
    return server
