"""A browser behind the TLS-terminating proxy, over plain HTTP on loopback: it keeps its
cookies (the Secure ones too, since the site is https to it) and sends the header the
proxy adds. The chaos bench (bench/chaos.py) and the production-path test
(tests/celery/test_production_path.py) both talk to their gunicorn with it; it imports
nothing of the project, so it works from a bench script and from the test suite alike.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class ProxiedClient:
    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        """The server's answer; OSError when there is none (refused, reset, timed out)."""
        headers = {**PROXY_HEADERS, "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for line in answer.cookies():
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return answer
