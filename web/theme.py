"""The council's look, from settings: its name, logo and main colour for the widget, the pages and the chat.

The colour is checked at start (4.5:1 against white, `Settings.brand_colour`); a darker shade of it is used on
hover. Gradio gets it through its theme; the plain pages and our own markup through the CSS variable `--cqa-brand`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import gradio as gr

from assistant.settings import Settings
from web.render import safe_href


def _darker(colour: str, by: float = 0.18) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - by)):02x}" for c in (r, g, b))


@dataclass(frozen=True)
class Brand:
    name: str  # the council's name, or "" to name the councils whose papers are held
    logo_url: str
    colour: str
    contact_email: str

    @classmethod
    def of(cls, settings: Settings) -> Brand:
        return cls(
            name=" ".join(settings.brand_name.split()),
            logo_url=safe_href(settings.brand_logo_url) or "",
            colour=settings.brand_colour.lower(),
            contact_email=settings.contact_email.strip(),
        )

    @property
    def hover(self) -> str:
        return _darker(self.colour)

    def css(self) -> str:
        """CSS variables our markup uses (`var(--cqa-brand)`)."""
        return f":root {{ --cqa-brand: {self.colour}; --cqa-brand-hover: {self.hover}; }}"

    def logo_html(self) -> str:
        if not self.logo_url:
            return ""
        alt = f"{self.name} logo" if self.name else "Council logo"
        return (
            f'<img class="cqa-logo" src="{html.escape(self.logo_url, quote=True)}" alt="{html.escape(alt)}">'
        )

    def contact_html(self, fallback: str) -> str:
        if not self.contact_email:
            return html.escape(fallback)
        e = html.escape(self.contact_email, quote=True)
        return f'<a href="mailto:{e}">{e}</a>'

    def theme(self) -> gr.themes.Base:
        """Gradio's default theme in the council's colour, with text colours that pass WCAG 2.2 AA (4.5:1)."""
        return gr.themes.Default(primary_hue=gr.themes.colors.blue).set(
            body_text_color_subdued="*neutral_600",
            body_text_color_subdued_dark="*neutral_300",
            block_info_text_color="*neutral_600",
            block_info_text_color_dark="*neutral_300",
            block_label_text_color="*neutral_700",
            block_label_text_color_dark="*neutral_200",
            input_placeholder_color="*neutral_500",
            input_placeholder_color_dark="*neutral_400",
            button_primary_background_fill=self.colour,
            button_primary_background_fill_hover=self.hover,
            button_primary_background_fill_dark=self.colour,
            button_primary_background_fill_hover_dark=self.hover,
            button_primary_text_color="white",
            button_primary_text_color_dark="white",
            button_primary_border_color=self.colour,
            button_primary_border_color_dark=self.colour,
            link_text_color=self.colour,
            link_text_color_hover=self.hover,
            link_text_color_visited=self.hover,
            checkbox_background_color_selected=self.colour,
        )


def councils_phrase(names: list[str], limit: int = 3) -> str:
    """ "Bury Council", "Bury Council and Bolton Council", "Bury Council, Bolton Council, Oldham Council and 27
    other councils"."""
    names = [n for n in names if n]
    if not names:
        return "the council"
    if len(names) == 1:
        return names[0]
    if len(names) <= limit + 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return f"{', '.join(names[:limit])} and {len(names) - limit} other councils"
