"""Who may use the officer area, in one place: the sign-in proxy's header, or our own sign-in and its cookie.

- `COUNCIL_OFFICER_AUTH_HEADER` set: the reverse proxy signs officers in and passes their name in that header.
- `COUNCIL_OFFICER_PASSWORD` set: `/officer/login` checks the officer account and sets one signed, HttpOnly,
  `SameSite=Strict` cookie scoped to `/officer` (Secure when the request came over https or `COUNCIL_PUBLIC_URL` is
  https), valid for a working day. Another site's pages never make the browser send it.
- neither: the officer area is switched off.

Gradio's officer mount asks `user(request)` on every request (its `auth_dependency`); the server's middleware
sends a browser that is not signed in to the sign-in page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from enum import StrEnum

from starlette.requests import Request
from starlette.responses import Response

from assistant.settings import Settings

COOKIE = "cqa_officer"
COOKIE_PATH = "/officer"
SESSION_S = 8 * 3600


class Mode(StrEnum):
    OFF = "off"
    PROXY = "proxy"
    PASSWORD = "password"


class OfficerAuth:
    def __init__(self, settings: Settings, secret: bytes | None = None) -> None:
        self.header = settings.officer_auth_header.strip()
        self.username = settings.officer_username
        self.https = settings.public_url.startswith("https://")
        self.password = settings.officer_password
        if self.header:
            self.mode = Mode.PROXY
        elif self.password:
            self.mode = Mode.PASSWORD
        else:
            self.mode = Mode.OFF
        material = f"{self.username}\0{self.password}".encode()
        self._secret = secret or hashlib.sha256(b"council-qa-officer-session\0" + material).digest()
        if not self.password:
            self._secret = secret or secrets.token_bytes(32)

    @property
    def enabled(self) -> bool:
        return self.mode != Mode.OFF

    @property
    def own_sign_in(self) -> bool:
        return self.mode == Mode.PASSWORD

    # ------------------------------------------------------------------------------------ who is asking

    def user(self, request: Request) -> str | None:
        """The signed-in officer's name, or None."""
        if self.mode == Mode.PROXY:
            return request.headers.get(self.header) or None
        if self.mode == Mode.PASSWORD:
            return self._read(request.cookies.get(COOKIE, ""))
        return None

    def check(self, username: str, password: str) -> bool:
        """The officer account's name and password, compared in constant time."""
        if self.mode != Mode.PASSWORD:
            return False
        ok_user = hmac.compare_digest(username.strip().encode(), self.username.encode())
        ok_password = hmac.compare_digest(password.encode(), self.password.encode())
        return ok_user and ok_password

    # ------------------------------------------------------------------------------------ the cookie

    def _mac(self, body: str) -> str:
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()

    def _read(self, value: str) -> str | None:
        body, _, mac = value.rpartition(".")
        if not body or not hmac.compare_digest(self._mac(body), mac):
            return None
        user, _, expires = body.rpartition("|")
        if not expires.isdigit() or int(expires) < time.time():
            return None
        return user or None

    def sign_in(self, response: Response, request: Request, user: str) -> None:
        """Set the session cookie on `response` (the only cookie this service sets)."""
        body = f"{user}|{int(time.time()) + SESSION_S}"
        response.set_cookie(
            COOKIE,
            f"{body}.{self._mac(body)}",
            max_age=SESSION_S,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=self.https or request.url.scheme == "https",
        )

    def sign_out(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path inside the officer area, never another site."""
    path = (path or "").strip()
    if path.startswith("/officer/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/officer/"
