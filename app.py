"""Council Q&A web app: the entry point. `python app.py` (or `council serve`) serves the chat (`/`), the residents'
widget (`/widget/`), the officer area (`/officer/`) and the JSON API (`/api/...`); everything lives in `web/`."""

from web import create_app

__all__ = ["create_app"]

if __name__ == "__main__":  # pragma: no cover
    from cli import app

    app(["serve"])
