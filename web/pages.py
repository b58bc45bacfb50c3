"""Plain HTML pages outside Gradio: the officer sign-in and switched-off pages, the accessibility statement, the
privacy notice and the readable page of a paper. One layout for all: a skip link, a header naming the service,
a main landmark, a footer with the notices; styles from `/web/pages.css`, nothing loaded from elsewhere."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

from ingest.text import fmt_date
from vectorstore.catalog import DocumentInfo
from web.theme import Brand

SERVICE = "Council Q&A"
STATEMENT_DATE = (
    "1 December 2026"  # when the accessibility statement was last reviewed (with the axe-core tests)
)


def page(title: str, body: str, brand: Brand, status: int = 200, back: str = "/") -> HTMLResponse:
    """A whole page around `body` (trusted markup: callers escape what they put in it)."""
    name = html.escape(f"{brand.name} · {SERVICE}" if brand.name else SERVICE)
    doc = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – {html.escape(SERVICE)}</title>
<link rel="stylesheet" href="/web/pages.css">
<style>{brand.css()}</style>
</head>
<body>
<a class="cqa-skip" href="#main">Skip to main content</a>
<header class="cqa-page-header">{brand.logo_html()}<span class="cqa-page-service">{name}</span>
<a class="cqa-back" href="{html.escape(back, quote=True)}">Back to the questions</a></header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="cqa-page-footer"><a href="/accessibility">Accessibility statement</a> ·
<a href="/privacy">Privacy notice</a></footer>
</body>
</html>"""
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(doc, status_code=status, headers=headers)


def sign_in(brand: Brand, error: str = "", next_path: str = "/officer/", username: str = "") -> HTMLResponse:
    alert = (
        f'<div class="cqa-error" role="alert" id="cqa-signin-error"><p>{html.escape(error)}</p></div>'
        if error
        else ""
    )
    described = ' aria-describedby="cqa-signin-error"' if error else ""
    body = f"""<h1>Sign in to the officer area</h1>
<p>The officer area searches exempt (not for publication) papers as well as published ones, and holds uploads and
the log of questions. Sign in with the officer account.</p>
{alert}
<form method="post" action="/officer/login" class="cqa-form">
<input type="hidden" name="next" value="{html.escape(next_path, quote=True)}">
<p><label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="200"
 value="{html.escape(username, quote=True)}"{described}></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required
 maxlength="500"{described}></p>
<p><button type="submit">Sign in</button></p>
</form>"""
    return page("Sign in to the officer area", body, brand, status=401 if error else 200)


def officer_off(brand: Brand) -> HTMLResponse:
    body = """<h1>The officer area is switched off</h1>
<p>This server has no officer sign-in set up, so the officer area (exempt papers, uploads and the question log) is
not available here.</p>
<p>The questions page and the residents' widget work as usual.</p>
<p>If you run this server: set <code>COUNCIL_OFFICER_PASSWORD</code>, or <code>COUNCIL_OFFICER_AUTH_HEADER</code>
behind a sign-in proxy, and restart it (see the deployment guide).</p>"""
    return page("Officer area switched off", body, brand, status=404)


def accessibility(brand: Brand) -> HTMLResponse:
    contact = brand.contact_html("the council's customer services")
    body = f"""<h1>Accessibility statement</h1>
<p>This statement covers {html.escape(SERVICE)}: the questions page, the residents' widget (also when it is embedded
in a council web page), the officer area and the pages that show a paper. We want as many people as possible to be
able to use it: you should be able to use it with a keyboard alone, with a screen reader, at 400% zoom and on a
phone 320 pixels wide, and change colours and text size in your browser.</p>
<h2>How accessible this service is</h2>
<p>It aims to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. Each release is checked
with axe-core on every page, before and after an answer, at phone and desktop widths, and by keyboard. We know of
these limits:</p>
<ul>
<li>Answers quote council papers word for word. The quotes can be long and hard to read; the widget shows a short
answer first, in plain words, where the papers allow one.</li>
<li>The published papers an answer links to (often PDF files) are the council's documents and may not be
accessible. Each paper can also be read as a web page on this service.</li>
</ul>
<h2>Reporting a problem or asking for another format</h2>
<p>Contact {contact}. Tell us the page address, what you were trying to do and the problem you found.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your
complaint, contact the Equality Advisory and Support Service (EASS).</p>
<h2>Preparation of this statement</h2>
<p>This statement was prepared on {STATEMENT_DATE}. The service was last tested on {STATEMENT_DATE}, with automated
checks (axe-core, WCAG 2.2 A and AA rules) and by keyboard.</p>"""
    return page("Accessibility statement", body, brand)


def privacy(brand: Brand, retention_days: int) -> HTMLResponse:
    controller = html.escape(brand.name or "The council that runs this service")
    contact = brand.contact_html("the council's data protection officer")
    body = f"""<h1>Privacy notice</h1>
<p>{controller} runs {html.escape(SERVICE)} and is responsible for the information it keeps.</p>
<h2>What is kept</h2>
<ul>
<li>Each question asked, the answer given and the sources it cited, with the time, where it was asked (the
questions page, the widget, the officer area or the API) and how long it took.</li>
<li>A thumbs up or down and any comment you add about an answer.</li>
<li>For officers: the name they signed in with.</li>
</ul>
<p>Your internet address is used only to limit how many questions one person can ask a minute. It is held in memory
for a few minutes and never written down. No cookies are set for residents; officers get one cookie that keeps them
signed in.</p>
<h2>Why</h2>
<p>To check that answers are right, to improve the service and to find misuse. Please do not type names, addresses or
other personal details in a question.</p>
<h2>How long</h2>
<p>Questions, answers and feedback are deleted after <strong>{retention_days} days</strong>.</p>
<h2>Who can see it</h2>
<p>Council officers who run the service, in the officer area. It is not shared with anyone else and no part of this
service sends it elsewhere.</p>
<h2>Your rights</h2>
<p>You can ask what is held about you, and ask for it to be corrected or deleted. Contact {contact}. You can also
complain to the Information Commissioner's Office (ICO).</p>"""
    return page("Privacy notice", body, brand)


def paper(brand: Brand, doc: DocumentInfo, body_html: str, source_url: str = "") -> HTMLResponse:
    meta = " · ".join(
        html.escape(p) for p in (fmt_date(doc.date), doc.council, doc.body, str(doc.doc_type)) if p
    )
    published = (
        f'<p>Published at <a href="{html.escape(source_url, quote=True)}">{html.escape(source_url)}</a>.</p>'
        if source_url
        else "<p>The address where this paper was published is not known; this is its text as held here.</p>"
    )
    classification = (
        "" if doc.is_open else '<p class="cqa-exempt"><strong>Exempt: not for publication.</strong></p>'
    )
    jump = '<p><a href="#cqa-cited">Go to the cited passage</a></p>' if 'id="cqa-cited"' in body_html else ""
    body = f"""<article class="cqa-paper">
<h1>{html.escape(doc.title or doc.doc_id)}</h1>
<p class="cqa-paper-meta">{meta}</p>
{classification}{published}
{jump}{body_html}
</article>"""
    return page(doc.title or doc.doc_id, body, brand)
