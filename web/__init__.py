"""Everything HTTP and UI: the server, the chat, the residents' widget, the officer area, the JSON API and its
schemas, rate limits, uploads, links to originals, HTML rendering and static files."""

from web.server import create_app
from web.services import Services

__all__ = ["Services", "create_app"]
