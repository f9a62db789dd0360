"""A local group robot (HTTP) and a local mail server for the channels' tests: real sockets,
no mocks, so what the product sends is what a WeCom/DingTalk robot or an SMTP server gets."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

from fangkong.channels import services
from fangkong.channels.models import Channel

OK = (200, {"errcode": 0, "errmsg": "ok"})


class Robot:
    """Records every POST and answers from `answers` (then OK). With `secret` it checks the
    DingTalk signature as DingTalk does and answers errcode 310000 when it does not match."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict | str]] = []
        self.secret: str | None = None
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                robot.requests.append(
                    {
                        "path": parts.path,
                        "query": query,
                        "content_type": self.headers.get("Content-Type", ""),
                        "json": json.loads(raw.decode("utf-8")),
                    }
                )
                status, body = robot.answers.pop(0) if robot.answers else OK
                if robot.secret is not None and not robot.signature_ok(query):
                    status, body = 200, {"errcode": 310000, "errmsg": "sign not match"}
                payload = body if isinstance(body, str) else json.dumps(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def signature_ok(self, query: dict) -> bool:
        timestamp = query.get("timestamp", "")
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
            return False
        expected = base64.b64encode(
            hmac.new(
                self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        # parse_qs already undid the URL encoding.
        return hmac.compare_digest(query.get("sign", ""), expected)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/cgi-bin/webhook/send?key=9f3c2a1b-77aa-4e5e-secret"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_server() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


def channel(area, kind=Channel.Kind.WECOM, name="太公社区工作群", **fields):
    if kind == Channel.Kind.EMAIL:
        fields.setdefault("recipients", ["duty@example.com"])
    else:
        fields.setdefault("webhook_url", "http://127.0.0.1:9/cgi-bin/webhook/send?key=k")
    return services.channel_create(actor=None, area=area, name=name, kind=kind, **fields)


def statuses(client_for, users: dict, url: str, method: str = "get", data=None) -> dict:
    found = {}
    for name, user in users.items():
        response = getattr(client_for(user), method)(url, data or {})
        found[name] = response.status_code
    return found


def matrix(users) -> dict:
    return {
        "outsider": users.outsider,
        "other_town": users.other_town,
        "norole": users.norole,
        "village": users.village,
        "town": users.town,
        "command": users.command,
    }
