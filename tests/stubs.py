"""Local stand-ins for the providers CivicDesk posts to (nothing leaves the machine in a test).

`JsonStub` is a loopback HTTP server that records every JSON POST (path, lower-cased headers, body) and answers with
what its `answer(path, body)` returns: a dict (200, as JSON) or an HTTP status (an int, no body). `SmsZnsStub` is the
SMS gateway and Zalo ZNS contract of docs/outreach.md on top of it: one message per tracking id, a refusal the way
each provider words one (`refuse`), or 503 for every call (`down`).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonStub:
    def __init__(self, answer):
        self.calls = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                stub.calls.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                result = answer(self.path, body)
                if isinstance(result, int):
                    self.send_response(result)
                    self.end_headers()
                    return
                data = json.dumps(result).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SmsZnsStub(JsonStub):
    """POST /messages (the SMS gateway) and POST /message/template (ZNS), as their contracts say."""

    def __init__(self):
        self.by_tracking, self.refuse, self.down = {}, False, False
        super().__init__(self._answer)

    def _answer(self, path, body):
        if self.down:
            return 503
        sms = path == "/messages"
        if self.refuse:
            # A provider's reason may quote the number it refused: it must not reach the logs.
            number = body.get("to") or body.get("phone")
            return {"error": f"{number} is blocked"} if sms else {"error": -108, "message": f"{number}?"}
        ident = self.by_tracking.setdefault(body["tracking_id"], f"m{len(self.by_tracking) + 1}")
        return {"id": ident} if sms else {"error": 0, "data": {"msg_id": ident}}
