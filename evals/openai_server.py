"""A small OpenAI-protocol chat server on 127.0.0.1 for tests: scripted replies, streamed (SSE) or not,
errors and delays. It records every request so tests can check what the advisor sent."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay: float = 0.0
    chunk_chars: int = 3  # characters per streamed chunk


@dataclass
class ScriptedLLM:
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    api_key: str = "test-key"
    default: Reply = field(default_factory=lambda: Reply("资料中未找到相关内容。"))

    def next(self) -> Reply:
        return self.replies.pop(0) if self.replies else self.default


def _handler(script: ScriptedLLM):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 (http.server naming)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            script.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if not self.path.endswith("/chat/completions"):
                return self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            if self.headers.get("Authorization") != f"Bearer {script.api_key}":
                return self._json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                                  "code": "invalid_api_key"}})
            reply = script.next()
            if reply.delay:
                time.sleep(reply.delay)
            if reply.status != 200:
                return self._json(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
            model = body.get("model", "test-model")
            if not body.get("stream"):
                return self._json(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            pieces = [reply.content[i:i + reply.chunk_chars] for i in range(0, len(reply.content), reply.chunk_chars)]
            for i, piece in enumerate(pieces + [""]):
                chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": model, "choices": [{"index": 0, "delta": {"content": piece} if piece else {},
                                                      "finish_reason": None if i < len(pieces) else "stop"}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler


class OpenAIServer:
    """Start with ``with OpenAIServer() as srv``; ``srv.base_url`` ends in ``/v1``."""

    def __init__(self) -> None:
        self.script = ScriptedLLM()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.script))
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
