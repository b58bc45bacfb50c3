"""The answer chain (LangChain LCEL): guard -> resolve follow-up -> retrieve -> draft -> verify -> finalise.

Every surface (CLI, UI, API, evals) gets the same `Answer`: text with [n] markers, citations that quote their
passage verbatim, an "as at" line naming the newest paper relied on, and a status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import RunnableLambda

from assistant import followup
from assistant.answer import Answer, Citation, Status
from assistant.errors import BackendUnavailableError
from assistant.extractive import Extraction, extract, key_terms
from assistant.guardrails import check_question
from assistant.inspection_window import extract_last_inspection, next_standard_inspection_window
from assistant.prompts import REFUSAL_TEMPLATE
from assistant.verify import Verification, find_quote, verify
from ingest.text import fmt_date
from vectorstore.passage import Passage
from vectorstore.recency import superseded
from vectorstore.retriever import SearchFilters

if TYPE_CHECKING:
    from assistant.service import Assistant

ANSWER_PASSAGES = 6
_WINDOW_Q = re.compile(
    r"\b(next|due|expected|upcoming|window)\b.*\binspect|\binspect\w*\b.*\b(next|due|window)\b", re.I
)
_STANDARD_WINDOW_SENTENCE = re.compile(r"window|due|expected|every 3 years|once every", re.I)


@dataclass
class Turn:
    """The state passed along the chain."""

    question: str
    audience: str
    filters: SearchFilters | None
    k: int
    history: list[dict[str, str]]
    query: str = ""
    topic_terms: set[str] = field(default_factory=set)
    passages: list[Passage] = field(default_factory=list)
    draft: str = ""
    answerer: str = "extractive"
    notes: list[str] = field(default_factory=list)
    extraction: Extraction | None = None
    answer: Answer | None = None


def build_chain(bot: Assistant) -> Any:
    """The LCEL pipeline. Each step takes and returns a `Turn`; a step that sets `turn.answer` ends the work."""

    def guard(turn: Turn) -> Turn:
        # the question was cleaned once at the edge (CLI, web, API, eval set): see guardrails.clean_question
        refusal = check_question(turn.question)
        if refusal is not None:
            turn.answer = Answer(
                turn.question, refusal.message, Status.REFUSED, notes=[f"guardrail: {refusal.reason}"]
            )
        return turn

    def resolve(turn: Turn) -> Turn:
        if turn.answer:
            return turn
        rewritten = followup.rewrite(turn.question, turn.history)
        if rewritten:  # "and the year after that?" is the previous question about the next year
            turn.notes.append(f"Answered as: {rewritten}")
            turn.question = turn.query = rewritten
            return turn
        turn.query, carried = followup.resolve(turn.question, turn.history)
        if carried and len(key_terms(turn.question)) < 2:
            turn.topic_terms = carried
        return turn

    def retrieve(turn: Turn) -> Turn:
        if turn.answer:
            return turn
        result = bot.search(turn.query, turn.audience, turn.filters, k=max(turn.k, ANSWER_PASSAGES))
        turn.passages = result.passages
        return turn

    def draft(turn: Turn) -> Turn:
        if turn.answer or not turn.passages:
            return turn
        if bot.settings.llm_base_url:
            try:
                from assistant.generative import generate

                model = bot.chat_model()
                out = generate(model, turn.question, turn.passages[: turn.k], turn.history)
                turn.answerer = f"llm:{bot.settings.llm_model}"
                turn.draft = "" if out.not_found else out.text
                if turn.draft:
                    return turn
                turn.notes.append(
                    "The language model found no answer in the passages; checked the quotes directly."
                )
            except BackendUnavailableError as exc:
                turn.notes.append(str(exc))
            turn.answerer = "extractive (fallback)"
        turn.extraction = extract(
            turn.question,
            turn.passages,
            bot.embed_texts,
            topic_terms=turn.topic_terms,
            places=bot.places(turn.audience),
        )
        turn.draft = turn.extraction.text
        return turn

    return (
        RunnableLambda(guard)
        | RunnableLambda(resolve)
        | RunnableLambda(retrieve)
        | RunnableLambda(draft)
        | RunnableLambda(lambda t: finalise(t, bot))
    )


def finalise(turn: Turn, bot: Assistant) -> Turn:
    if turn.answer:
        return turn
    if not turn.passages:
        turn.answer = not_found(turn, bot, "nothing in the papers matched the question")
        return turn
    # extractive drafts quote verbatim, so word overlap decides; a model's paraphrase may also use embeddings
    similarity = bot.similarity if turn.answerer.startswith("llm") else None
    verification = verify(turn.draft, turn.passages, similarity) if turn.draft else None
    if verification is None or not verification.supported_text():
        if turn.draft and turn.answerer.startswith("llm") and verification is not None:
            turn.notes.extend(verification.notes())
            # the model's draft failed verification: fall back to quoting the papers directly
            turn.extraction = extract(
                turn.question,
                turn.passages,
                bot.embed_texts,
                topic_terms=turn.topic_terms,
                places=bot.places(turn.audience),
            )
            turn.answerer = "extractive (fallback)"
            turn.draft = turn.extraction.text
            turn.notes.append(
                "The language model's answer could not be verified against the papers; "
                "quoted passages are shown instead."
            )
            verification = verify(turn.draft, turn.passages) if turn.draft else None
        if verification is None or not verification.supported_text():
            reason = turn.extraction.reason if turn.extraction else "no sentence was supported by its passage"
            turn.answer = not_found(turn, bot, reason)
            return turn
    turn.notes.extend(verification.notes())
    text, citations = _renumber(verification, turn.passages)
    status = verification.status
    text, citations = _add_inspection_window(turn, text, citations)
    notes = turn.notes + _supersession_notes(citations, turn.passages)
    turn.answer = Answer(
        question=turn.question,
        text=text,
        status=status,
        citations=citations,
        as_at=as_at_line(citations),
        notes=notes,
        answerer=turn.answerer,
        query=turn.query,
    )
    return turn


def _renumber(verification: Verification, passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """Citations numbered 1..m in order of first use; each quotes the span of its passage that supports the
    sentences citing it."""
    from assistant.citations import renumber

    order = verification.cited
    mapping = {old: new for new, old in enumerate(order, start=1)}
    quotes: dict[int, list[str]] = {n: [] for n in order}
    for v in verification.verdicts:
        if v.supported and v.is_claim:
            for n in v.supporting:
                q = (
                    v.quote
                    if v.best_passage == n and v.quote
                    else find_quote(v.sentence, passages[n - 1].text)
                )
                if q and q not in quotes[n]:
                    quotes[n].append(q)
    citations = [to_citation(mapping[n], passages[n - 1], " … ".join(quotes[n][:2])) for n in order]
    return renumber(verification.supported_text(), mapping), citations


def to_citation(n: int, p: Passage, quote: str) -> Citation:
    if quote and quote not in p.text:  # a quote must occur verbatim in its passage
        quote = find_quote(quote, p.text)
    return Citation(
        n=n,
        doc_id=p.doc_id,
        chunk_id=p.chunk_id,
        title=p.title,
        date=p.date,
        body=p.body,
        doc_type=p.doc_type,
        page=p.page_start,
        section=p.section,
        quote=quote,
        passage_text=p.text,
        source_url=p.source_url,
        score=round(p.score, 4),
    )


def as_at_line(citations: Sequence[Citation]) -> str:
    dated = [c for c in citations if c.date]
    if not dated:
        return "As at: the papers relied on are undated."
    newest = max(dated, key=lambda c: c.date or dt.date.min)
    rest = sorted({fmt_date(c.date) for c in dated if c.date != newest.date})
    older = f" Older papers used: {', '.join(rest)}." if rest else ""
    return f"As at {fmt_date(newest.date)}: newest paper relied on is “{newest.title}”.{older}"


def _supersession_notes(citations: Sequence[Citation], passages: Sequence[Passage]) -> list[str]:
    cited_ids = {c.chunk_id for c in citations}
    cited = [p for p in passages if p.chunk_id in cited_ids]
    notes = []
    for older, newer, measure in superseded(cited)[:2]:
        notes.append(
            f"Papers of different dates differ on {measure}: “{newer.title}” ({fmt_date(newer.date)}) is newer than "
            f"“{older.title}” ({fmt_date(older.date)}); prefer the newer."
        )
    return notes


def _add_inspection_window(turn: Turn, text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """When asked for the next inspection window and the papers give the last inspection but no window, compute
    it in code (standard inspections every 3 years, plus or minus 6 months) and say that it was computed."""
    if not _WINDOW_Q.search(turn.question):
        return text, citations
    if any(_STANDARD_WINDOW_SENTENCE.search(c.quote) and re.search(r"20\d\d", c.quote) for c in citations):
        return text, citations  # the papers state it; quote, don't compute
    found = extract_last_inspection(turn.passages)
    if not found:
        return text, citations
    last, passage = found
    window = next_standard_inspection_window(last)
    existing = next((c for c in citations if c.chunk_id == passage.chunk_id), None)
    if existing is None:
        quote = find_quote(fmt_date(last), passage.text) or passage.text[:200]
        existing = to_citation(len(citations) + 1, passage, quote)
        citations = [*citations, existing]
    computed = (
        f"Calculated from the papers (not stated in them): the last standard inspection was in "
        f"{last.strftime('%B %Y')} [{existing.n}], and standard inspections usually follow every 3 years, "
        f"plus or minus 6 months, so the next window is {window.text}."
    )
    turn.notes.append("The inspection window was calculated in code from a cited date.")
    return f"{text} {computed}".strip(), citations


def not_found(turn: Turn, bot: Assistant, reason: str) -> Answer:
    lib = bot.catalog.summary(turn.audience)
    start, end = fmt_date(lib.earliest), fmt_date(lib.latest)
    bodies = ", ".join(sorted(lib.by_body, key=lambda b: -lib.by_body[b])[:4]) or "council bodies"
    text = REFUSAL_TEMPLATE.format(bodies=bodies, start=start, end=end)
    closest = [to_citation(i, p, "") for i, p in enumerate(turn.passages[:3], start=1)]
    return Answer(
        turn.question,
        text,
        Status.NOT_FOUND,
        citations=[],
        as_at="",
        notes=[*turn.notes, f"why: {reason}"],
        answerer=turn.answerer,
        closest=closest,
        query=turn.query,
    )


def answer_question(
    bot: Assistant,
    question: str,
    audience: str = "public",
    filters: SearchFilters | None = None,
    k: int | None = None,
    history: list[dict[str, str]] | None = None,
) -> Answer:
    turn = Turn(
        question=question,
        audience=audience,
        filters=filters,
        k=k or bot.settings.top_k,
        history=list(history or []),
    )
    out: Turn = bot.chain().invoke(turn)
    assert out.answer is not None
    return out.answer
