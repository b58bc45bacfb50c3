"""The answer pipeline: guard -> resolve a follow-up -> understand -> scope -> retrieve -> answer -> decide ->
verify.

It receives what it needs — a searcher, an embedding function, the places whose papers are held, an optional
chat model — and calls nothing back. Every surface (CLI, UI, API, evals) gets the same `Answer`: text with [n]
markers, citations that quote their passage verbatim, an "as at" line naming the newest paper relied on, a
status and an answerability score.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant import followup, intervals, paper_dates, relative_dates, spelling, text_grades
from assistant.answer import Answer, Status
from assistant.answerability import Decision, decide
from assistant.candidates import Candidate, collect, defined_term, defines
from assistant.compose import Composed, Line, LineKind, as_at_line, compose, fmt_date, to_citation
from assistant.errors import BackendUnavailableError, BadFilterError, BadQuestionError
from assistant.guardrails import check_followup, clean_history, clean_question
from assistant.inspection_window import extract_last_inspection, months_after, next_standard_inspection_window
from assistant.latest import Paper, newest_of_kind
from assistant.people import ENGLISH, fullest_name, language, stop_words
from assistant.prompts import REFUSAL_OWN_TEMPLATE, REFUSAL_TEMPLATE
from assistant.question import (
    AnswerType,
    Part,
    QuestionAnalysis,
    analyse,
    carry_context,
    for_one_side,
    lexicon,
    with_weights,
)
from assistant.scope import Places, place_of, scope
from assistant.sections import fitting_sections
from assistant.sentences import split_sentences
from assistant.series import Value, change_note, compare_note, measure_label, measure_type, over_time
from assistant.shortanswer import (
    SHORTLIST,
    ShortAnswer,
    borrowed,
    distinct,
    find,
    narrowing,
    rescored_for,
    undergone_words,
)
from assistant.sources import bodies_of, named
from assistant.spans import TypedSpan
from assistant.summary import ONE_PAPER_FLOOR, RELATIVE_FLOOR, choose, only_counted
from assistant.verify import Similarity, find_quote, verify
from vectorstore.audience import Audience
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.retriever import SearchResult

Embed = Callable[[list[str]], list[list[float]]]
OPEN_PART_POINTS = 2  # points for an open part of a multi-part question
SINCE_POINTS = 2  # points from the newest paper after a rating history
SIDE_POINTS = 3  # points for each council of a comparison answered by a summary (one paper gets up to 6)
ANSWER_PASSAGES = 8
SOURCE_PASSAGES = (
    3  # passages added from the own papers of a source the question names ("what did Ofsted say")
)
SOURCE_MORE = 5  # and more passages of that source's best paper
DEFINING_PASSAGES = 2  # passages added that spell out a term a question asks the meaning of
SECTION_PASSAGES = (
    3  # passages added from the sections whose heading the question echoes ("areas for improvement")
)
GRADES_FROM_TEXT = "Grades as the council's papers report them; Ofsted's report is the authority."
PAPER_DATE_DECISION = Decision(True, 0.7, "the date of the paper the question names")
REPORTED_DECISION = Decision(True, 0.6, "the date of the paper reporting the grade as just given")
GRADES_FROM_TEXT_DECISION = Decision(
    True, 0.8, "grades stated in the papers"
)  # as a paper states them, by area


class Searcher(Protocol):
    def __call__(
        self, query: str, audience: str, filters: SearchFilters | None, k: int
    ) -> SearchResult: ...  # pragma: no cover - a protocol


@dataclass
class Coverage:
    """What the papers held cover, for refusals: "They cover Cabinet, Ofsted ... from 2012 to 2026"; with
    `papers` (council, body, date of each), also what one council's own papers cover."""

    bodies: list[str]
    earliest: dt.date | None
    latest: dt.date | None
    papers: list[tuple[str, str, dt.date | None]] = field(default_factory=list)

    def of(self, places: Sequence[str]) -> tuple[str, Coverage] | None:
        """The councils among `places` whose own papers are held, and what those papers cover; None when none
        of them has a paper of its own here (national bodies' papers may still name it)."""
        names: list[str] = []  # each place's council as most of its papers spell it ("Bury Council")
        mine: list[tuple[str, str, dt.date | None]] = []
        for place in places:
            own = [paper for paper in self.papers if place_of(paper[0]) == place]
            if own:
                names.append(Counter(c for c, _, _ in own).most_common(1)[0][0])
                mine += own
        if not mine:
            return None
        dates = [d for _, _, d in mine if d is not None]
        bodies = Counter(b for _, b, _ in mine if b)
        whose = " and ".join(dict.fromkeys(names))
        return whose, Coverage(
            [b for b, _ in bodies.most_common()], min(dates, default=None), max(dates, default=None)
        )


@dataclass
class PipelineConfig:
    home_council: str = ""
    max_question_chars: int = 1000
    top_k: int = 5
    min_answerability: float | None = None  # None: the calibrated threshold
    current_figure_years: int = 2  # a figure asked for as it is now comes from a paper at most this old
    llm_label: str = ""


@dataclass
class Turn:
    question: str
    audience: str
    filters: SearchFilters | None
    k: int
    history: list[dict[str, str]]
    asked: str = ""
    query: str = ""
    analysis: QuestionAnalysis | None = None
    about: tuple[str, ...] = ()
    passages: list[Passage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    answerer: str = "extractive"
    flagged: list[tuple[Passage, str, str]] = field(default_factory=list)  # planted text left out
    newest: str = ""  # the doc_id of the newest paper of the kind asked about ("the last meeting"), if chosen
    scope: SearchFilters | None = None  # the filters the question was searched with


class AnswerPipeline:
    def __init__(
        self,
        search: Searcher,
        embed: Embed | None,
        places: Callable[[str], Places],
        coverage: Callable[[str], Coverage],
        config: PipelineConfig,
        *,
        similarity: Similarity | None = None,
        chat_model: Callable[[], Any] | None = None,
        idf: Callable[[Sequence[str], str], dict[str, float]] | None = None,
        frequencies: Callable[[Sequence[str], str], dict[str, int]] | None = None,
        record: Callable[[str], Any] | None = None,
        documents: Callable[[str], Any] | None = None,
        papers: Callable[[str], Sequence[Any]] | None = None,
        paper_passages: Callable[[str, str], Sequence[Passage]] | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.record = record  # audience -> InspectionRecord (facts derived at ingest), when one is kept
        self.documents = documents or (lambda doc_id: None)
        self.papers = papers or (lambda audience: [])  # the library an audience may read (catalog entries)
        self.paper_passages = paper_passages  # (doc_id, audience) -> a paper's chunks in reading order
        self.idf = idf
        self.frequencies = frequencies  # (words, audience) -> how many chunks use each word
        self.search = search
        self.embed = embed
        self.places = places
        self.coverage = coverage
        self.config = config
        self.similarity = similarity
        self.chat_model = chat_model
        self.today = today

    # ------------------------------------------------------------------------------------------ the flow

    def answer(
        self,
        question: str,
        audience: str = "public",
        filters: SearchFilters | None = None,
        k: int | None = None,
        history: Sequence[dict[str, str]] = (),
    ) -> Answer:
        # the question was cleaned where it came in (CLI, web, eval set); a rewritten follow-up is cleaned below
        turn = Turn(question, audience, filters, k or self.config.top_k, list(history))
        turn.asked = question
        places = self.places(audience)
        self._spelling(turn, places)
        refused = self._resolve(turn, places)
        if refused:
            return refused
        assert turn.analysis is not None
        scoped, turn.about = scope(turn.analysis, places, self.config.home_council, filters)
        turn.scope = scoped
        between = self._interval(turn, places)  # before the record: "how long since ..." asks for a gap
        if between is not None:
            return between
        from_record = self._from_record(turn)
        if from_record is not None:
            return from_record
        if turn.analysis.comparison and len(turn.about) >= 2:
            return self._compare(turn, places)
        result = self.search(turn.query, audience, scoped, max(turn.k, ANSWER_PASSAGES))
        turn.passages = result.passages
        if not turn.passages:
            return self._not_found(turn, "nothing in the papers matched the question")
        turn.passages = [*turn.passages, *self._from_source(turn), *self._definition(turn)]
        turn.passages = [*turn.passages, *self._sections(turn)]
        if self.chat_model is not None:
            drafted = self._generative(turn)
            if drafted is not None:
                return drafted
        return self._extractive(turn)

    def _spelling(self, turn: Turn, places: Places) -> None:
        """Misspelt words read as the papers' words ("complants": "complaints"), said in a note."""
        if self.frequencies is None:
            return
        lang, probability = language(turn.question)
        if lang != ENGLISH or probability < spelling.ENGLISH_CONFIDENCE:
            return  # the papers' words and the English dictionary are no guide to another language's spelling
        frequencies = self.frequencies
        names = {w for name in places.names() for w in name.lower().split()}
        keep = names | {f"{w}s" for w in names}  # "burys": a place without its apostrophe
        found = spelling.readings(turn.question, lambda words: frequencies(words, turn.audience), keep)
        if found:
            turn.question = spelling.corrected(turn.question, found)
            turn.notes.append(spelling.note(found))

    def _resolve(self, turn: Turn, places: Places) -> Answer | None:
        """Make a follow-up whole, check every text it rests on, and analyse the result."""
        names = places.names()
        try:  # every earlier question is cleaned and limited like a new one
            turn.history = clean_history(turn.history, self.config.max_question_chars)
        except ValueError as exc:
            raise BadQuestionError(str(exc)) from None
        own = analyse(turn.question, names, self.today)
        previous = followup.previous_question(turn.history)
        before = analyse(previous, names, self.today) if previous else None
        resolved = followup.resolve(
            turn.question,
            turn.history,
            own_terms=len(own.key_terms),
            places=names,
            previous_focus=before.focus.text if before and before.focus else "",
            previous_places=before.councils if before else (),
        )
        # a follow-up, what it was resolved into, and every earlier question it leans on are checked
        # the question as written is checked too: reading a misspelt word never lifts a refusal ("Jaki jest adres
        # ...?" is Polish for "what is the address of ...")
        refusal = check_followup(
            turn.question,
            turn.history,
            [*resolved.checked, turn.asked],
            leans_on=_leans_on(names, self.today),
        )
        if refusal is not None:
            return Answer(turn.asked, refusal.message, Status.REFUSED, notes=[f"guardrail: {refusal.reason}"])
        if resolved.question != turn.question:  # a rewrite leans on history the edge did not clean
            try:
                turn.question = clean_question(resolved.question, self.config.max_question_chars)
            except ValueError as exc:
                raise BadQuestionError(str(exc)) from None
        turn.query = resolved.query[: self.config.max_question_chars * 2]
        if resolved.note:
            turn.notes.append(resolved.note)
        analysis = own if resolved.question == own.text else analyse(turn.question, names, self.today)
        if before is not None:
            # in a conversation a question naming no council or period stays with the previous one's; a
            # follow-up that leans on it ("those", "that decision") also borrows its topic
            analysis = carry_context(analysis, before, topic=bool(resolved.carried))
        if self.idf is not None:
            analysis = with_weights(analysis, self.idf, turn.audience)
        turn.analysis = analysis
        return None

    # ------------------------------------------------------------------------------------------ extractive

    def _extractive(self, turn: Turn) -> Answer:
        analysis = turn.analysis
        assert analysis is not None
        graded = self._grades_in_text(turn)
        if graded is not None:
            return graded
        candidates = collect(
            analysis,
            turn.passages,
            self.embed,
            # a named source's papers and a term's definition come after the ordinary search's passages
            max_passages=ANSWER_PASSAGES
            + SOURCE_PASSAGES
            + SOURCE_MORE
            + DEFINING_PASSAGES
            + SECTION_PASSAGES,
            about=_named(turn),
            is_local=_is_local,
            must_name=bool(analysis.unknown_places and not analysis.councils),
            flagged=turn.flagged,
            prefer_local=bool(turn.about),
        )
        allowed = _shown_safely(turn.passages)
        if not candidates:
            return self._not_found(turn, "no sentence in the passages reads as an answer")
        if paper_dates.asks_publication(analysis) and not any(
            paper_dates.states_publication(c.sentence) for c in candidates[:SHORTLIST] if allowed(c)
        ):  # a sentence giving the date published answers it, not the date of the paper that says so
            named_paper = paper_dates.named_paper(analysis, turn.passages)
            if named_paper is not None:
                dated = self._paper_date(turn, named_paper, [c for c in candidates if allowed(c)])
                if dated is not None:
                    return dated
        doc_ids = [p.doc_id for p in turn.passages]
        dates = [p.date for p in turn.passages]
        shorts: list[tuple[Part, ShortAnswer | None]] = []
        if analysis.answer_type.factoid:
            found = [
                find(analysis, part, candidates, doc_ids, turn.about, allowed, dates)
                for part in analysis.parts
            ]
            shorts = list(zip(analysis.parts, distinct(found), strict=True))
        decision = decide(
            analysis, candidates, [s for _, s in shorts], self.config.min_answerability, _dense(turn.passages)
        )
        if not decision.answer:
            # no date found answers well enough: a paper reporting the grade asked as just given dates it
            news = paper_dates.grade_reported(analysis, candidates, turn.passages, allowed)
            reported = self._reported(turn, news) if news is not None else None
            if reported is not None:
                return reported
            return self._not_found(
                turn, decision.reason, decision.score, decision.signals, said=decision.said
            )
        stale = self._stale_figure(turn, [s for _, s in shorts if s is not None])
        if stale:
            return self._not_found(turn, stale, decision.score, decision.signals, said=stale)
        kind = measure_type(analysis) if analysis.change else None
        values = over_time(analysis, kind, candidates, turn.passages, allowed) if kind is not None else []
        if len(values) >= 2:
            lines = self._series_lines(turn, values, kind)  # type: ignore[arg-type]
            if kind == AnswerType.JUDGEMENT:
                lines += self._since_then(turn, values, candidates)
        elif (
            len(values) == 1
            and kind == AnswerType.JUDGEMENT
            and not analysis.years
            and not any(s for _, s in shorts)
        ):
            # "did it get better or worse at its last inspection?" with one grade in the papers: that grade leads,
            # what the papers say of it follows (not for years asked: "between 2014 and 2019" wants both)
            value = values[0]
            lead = f"{self._series_heading(turn, kind)}: {value.span.text} ({value.period})."
            summary = self._summary_lines(turn, self._of_newest(turn, candidates))
            lines = [Line(lead, LineKind.LEAD, value.candidate.passage_index), *summary]
        elif shorts and any(s is not None for _, s in shorts):
            lines = self._short_lines(turn, shorts, candidates)
        elif counted := only_counted(analysis, candidates):
            return self._not_found(
                turn,
                "the papers say how many there were but do not list them",
                decision.score,
                decision.signals,
                said=f"The papers say “{counted.rstrip('.')}” but do not list them.",
            )
        else:
            lines = self._grade_lead(turn) + self._summary_lines(turn, self._of_newest(turn, candidates))
        lines += self._inspection_window(turn, lines)
        composed = compose(lines, turn.passages, None)
        if not composed.citations and not allowed(candidates[0]):
            return self._not_found(
                turn,
                "the sentences that answer it name someone who may be a private individual",
                decision.score,
                decision.signals,
                said=PRIVATE_ONLY,
            )
        if not composed.citations:
            return self._not_found(
                turn, "no sentence was supported by its passage", decision.score, decision.signals
            )
        return self._answer(turn, composed, decision)

    def _paper_date(self, turn: Turn, index: int, candidates: Sequence[Candidate]) -> Answer | None:
        """ "When did the DfE publish its guidance on ...?": the date of the paper the question names, said to be
        the paper's date, with the paper's best sentence quoted."""
        paper = turn.passages[index]
        best = paper_dates.naming_sentence(paper, candidates, turn.passages)
        if best is None or paper.date is None:
            return None
        lead = (
            f"Published: {fmt_date(paper.date)} (the date of “{paper.title}”, as the papers held record it)."
        )
        return self._dated_by_paper(turn, best, lead, PAPER_DATE_DECISION)

    def _reported(self, turn: Turn, news: Candidate) -> Answer | None:
        """ "When did it first get outstanding?" answered by a paper reporting the grade as just given, with no
        date in its sentence: the paper's date, said to be when it was reported."""
        paper = turn.passages[news.passage_index]
        if paper.date is None:
            return None
        lead = (
            f"Reported: {fmt_date(paper.date)} (the date of “{paper.title}”, which reports it as just given; "
            "the sentence gives no date of its own)."
        )
        return self._dated_by_paper(turn, news, lead, REPORTED_DECISION)

    def _dated_by_paper(self, turn: Turn, cand: Candidate, lead: str, decision: Decision) -> Answer | None:
        """A date given as its paper's (`lead`, saying so), with the paper's sentence quoted under it."""
        lines = [
            Line(lead, LineKind.LEAD, cand.passage_index),
            Line(cand.sentence, LineKind.QUOTE, cand.passage_index),
        ]
        composed = compose(lines, turn.passages, None)
        if not composed.citations:
            return None
        return self._answer(turn, composed, decision)

    def _stale_figure(self, turn: Turn, found: Sequence[ShortAnswer]) -> str:
        """Why a figure asked for as it is now ("how many ... currently", "the latest ...") cannot be given: the
        newest figure found is in a paper older than `current_figure_years`, so it is history, not the present
        figure; likewise a person asked for as now ("who is the director now?"). Empty when the figure is recent
        enough, or the question asks for no current figure."""
        analysis = turn.analysis
        if (
            analysis is None
            or not (analysis.latest or analysis.present)
            or analysis.years
            or not (
                analysis.answer_type in _FIGURE_TYPES
                # "who is the director now?": a name in an old paper held the role then
                or (analysis.answer_type == AnswerType.PERSON and analysis.latest)
            )
            or not found
        ):
            return ""
        dates = [turn.passages[s.candidate.passage_index].date for s in found]
        newest = max((d for d in dates if d is not None), default=None)
        today = self.today or dt.date.today()
        if newest is None or newest >= months_after(today, -12 * self.config.current_figure_years):
            return ""
        if analysis.answer_type == AnswerType.PERSON:
            return (
                f"The newest paper naming someone in the role is of {fmt_date(newest)}, too old to say who holds "
                "it now."
            )
        return (
            f"The newest figure found is in a paper of {fmt_date(newest)}, too old to be taken as the "
            "current one."
        )

    def _short_lines(
        self, turn: Turn, shorts: list[tuple[Part, ShortAnswer | None]], candidates: Sequence[Candidate]
    ) -> list[Line]:
        lines: list[Line] = []
        quoted: set[tuple[int, str]] = set()
        opened = [part for part, short in shorts if short is None and not part.answer_type.factoid]
        for part, short in shorts:
            label = _label(part, len(shorts) > 1)
            if short is None and part not in opened:
                lines.append(Line(f"{label}: the papers held do not say.", LineKind.NOTE))
                continue
            if short is None:
                continue  # an open part ("... and how did they react?"): its points follow the typed answers
            passage = turn.passages[short.candidate.passage_index]
            text, named = short.shown, list[tuple[int, str]]()
            if part.answer_type == AnswerType.PERSON:
                text, named = self._full_names(turn, short)
            lines.append(
                Line(
                    f"{label}: {text}{_qualifier(passage, short)}.",
                    LineKind.LEAD,
                    short.candidate.passage_index,
                )
            )
            worked = (
                relative_dates.note(short.text, passage.date) if part.answer_type == AnswerType.DATE else None
            )
            if worked:  # "July this year" in a paper of December 2021: July 2021, worked out and said so
                lines.append(Line(worked, LineKind.NOTE))
            support = short.role_from  # "The councillor in charge of the service Timothy Wilson ..."
            roled = [(support.passage_index, support.sentence)] if support is not None else []
            # "which councillors ...?": the others the paper names in the role
            roled += [(c.passage_index, c.sentence) for c in short.more]
            for key in [(short.candidate.passage_index, short.candidate.sentence), *roled, *named]:
                if key not in quoted:
                    quoted.add(key)
                    lines.append(Line(key[1], LineKind.QUOTE, key[0]))
        for part in opened:
            lines += self._open_part(turn, part, candidates, quoted)
        return lines

    def _open_part(
        self, turn: Turn, part: Part, candidates: Sequence[Candidate], quoted: set[tuple[int, str]]
    ) -> list[Line]:
        """An open part of a multi-part question ("who is ... and how did they react?"): a few points chosen
        for its own words, besides the sentences already quoted for the other parts."""
        assert turn.analysis is not None
        own = [c for c in rescored_for(part, candidates) if (c.passage_index, c.sentence) not in quoted]
        asked = replace(turn.analysis, answer_type=part.answer_type, focus=part.focus, parts=(part,))
        points = choose(asked, own, turn.passages, _shown_safely(turn.passages), limit=OPEN_PART_POINTS)
        for point in points:
            quoted.add((point.candidate.passage_index, point.text))
        return [
            Line(p.text, LineKind.QUOTE, p.candidate.passage_index, bullet=True, items=p.items)
            for p in points
        ]

    def _full_names(self, turn: Turn, short: ShortAnswer) -> tuple[str, list[tuple[int, str]]]:
        """A person's answer with each name as fully as the paper gives it ("Councillor Dixon" -> "Councillor
        Paul Dixon", from another passage of the same paper), and the sentences that give the fuller names
        (passage index, sentence) so that they are quoted too."""
        doc_id = turn.passages[short.candidate.passage_index].doc_id
        names, quotes = [], []
        for name in short.text.split(", "):
            full = name
            for i, p in enumerate(turn.passages):
                if p.doc_id != doc_id or (full := fullest_name(name, p.text)) == name:
                    continue
                if full not in short.candidate.sentence:
                    quotes += [(i, s) for s in split_sentences(p.text) if full in s][:1]
                break
            names.append(full)
        return ", ".join(names), quotes

    def _series_heading(self, turn: Turn, kind: AnswerType) -> str:
        """What the series measures, of which council: "Number of complaints (Bury Council)"."""
        assert turn.analysis is not None
        focus = measure_label(turn.analysis, kind) or _TYPE_LABELS.get(kind, "Value")
        council = next((p.council for p in turn.passages if place_of(p.council)), "")
        return f"{focus[:1].upper()}{focus[1:]}" + (f" ({council})" if council else "")

    def _series_lines(self, turn: Turn, values: list[Value], kind: AnswerType) -> list[Line]:
        """One line per period, oldest first, and the change worked out in code."""
        lines = [Line(f"{self._series_heading(turn, kind)}, by period:", LineKind.HEADING)]
        for value in values:
            lines.append(
                Line(
                    f"{value.period}: {value.span.text}.",
                    LineKind.LEAD,
                    value.candidate.passage_index,
                    bullet=True,
                )
            )
        note = change_note(values, kind)
        if note:
            lines.append(Line(note, LineKind.NOTE))
        return lines

    def _since_then(self, turn: Turn, values: list[Value], candidates: list[Candidate]) -> list[Line]:
        """ "How has its rating changed since 2019?", "is it any better now?": after the grades, where things
        stand in the newest paper (a monitoring or focused visit's letter, a report to Cabinet), when it is no
        older than the latest grade: its best points besides the sentences the grades are quoted from."""
        assert turn.analysis is not None
        latest = max(v.sort_key for v in values)
        quoted = {(v.candidate.passage_index, v.candidate.sentence) for v in values}
        dated = [
            c
            for c in candidates
            if turn.passages[c.passage_index].date is not None and (c.passage_index, c.sentence) not in quoted
        ]
        if not dated:
            return []
        newest = max(dated, key=lambda c: turn.passages[c.passage_index].date or dt.date.min)
        paper = turn.passages[newest.passage_index]
        if paper.date is None or paper.date.year < int(latest):
            return []
        own = [c for c in dated if turn.passages[c.passage_index].doc_id == paper.doc_id]
        points = choose(turn.analysis, own, turn.passages, _shown_safely(turn.passages), limit=SINCE_POINTS)
        if not points:
            return []
        heading = Line(f"The newest paper, “{paper.title}” ({fmt_date(paper.date)}):", LineKind.HEADING)
        return [heading] + [
            Line(p.text, LineKind.QUOTE, p.candidate.passage_index, bullet=True) for p in points
        ]

    def _summary_lines(self, turn: Turn, candidates: list[Candidate]) -> list[Line]:
        """Points grouped by paper, newest paper first; a heading names each paper when there are several."""
        assert turn.analysis is not None
        floor = ONE_PAPER_FLOOR if turn.newest else RELATIVE_FLOOR
        points = choose(
            turn.analysis,
            candidates,
            turn.passages,
            _shown_safely(turn.passages),
            floor,
            following=lambda passage: self._next_chunk(passage, turn.audience),
        )
        groups: dict[str, list[Any]] = {}
        for point in points:
            groups.setdefault(turn.passages[point.candidate.passage_index].doc_id, []).append(point)
        several = len(points) > 1
        lines: list[Line] = []
        for group in groups.values():
            first = turn.passages[group[0].candidate.passage_index]
            if len(groups) > 1 or turn.newest:  # "the last meeting": say which one
                lines.append(Line(f"From “{first.title}” ({fmt_date(first.date)}):", LineKind.HEADING))
            for point in group:
                lines.append(
                    Line(
                        point.text,
                        LineKind.QUOTE,
                        point.candidate.passage_index,
                        bullet=several,
                        items=point.items,
                    )
                )
        return lines

    def _next_chunk(self, passage: Passage, audience: str) -> Passage | None:
        """The chunk after `passage` in its paper, when it starts on the page `passage` ends on or the next."""
        if self.paper_passages is None:
            return None
        chunks = list(self.paper_passages(passage.doc_id, audience))
        at = next((i for i, c in enumerate(chunks) if c.chunk_id == passage.chunk_id), None)
        if at is None or at + 1 >= len(chunks):
            return None
        nxt = chunks[at + 1]
        ends = passage.page_end or passage.page_start
        if ends is not None and nxt.page_start is not None and not ends <= nxt.page_start <= ends + 1:
            return None
        return nxt

    def _from_source(self, turn: Turn) -> list[Passage]:
        """For "what did Ofsted say about ...?": the best few passages of that body's own papers in scope, added
        to those found (others' accounts of what it said stay, ranked after them)."""
        assert turn.analysis is not None
        sources = named(turn.analysis.sources)
        if not sources:
            return []
        bodies = bodies_of(sources, (d.body for d in self.papers(turn.audience)))
        if not bodies:
            return []
        base = turn.scope or SearchFilters()
        if base.bodies:  # the person's own choice of bodies still holds
            bodies = tuple(b for b in bodies if b in base.bodies)
            if not bodies:
                return []
        within = replace(base, bodies=bodies)
        try:
            found = self.search(
                _without(turn.query, sources), turn.audience, within, SOURCE_PASSAGES
            ).passages
        except BadFilterError:
            return []
        seen = {p.chunk_id for p in turn.passages}
        added = [p for p in found if p.chunk_id not in seen][:SOURCE_PASSAGES]
        if (
            found
        ):  # the rest of the source's best paper: its list of findings may share few words with the rest
            seen |= {p.chunk_id for p in added}
            added += [p for p in self._rest_of(found[0], turn) if p.chunk_id not in seen][:SOURCE_MORE]
        return added

    def _definition(self, turn: Turn) -> list[Passage]:
        """ "What is SIAB?": when no passage found spells the term out, the passages of the papers in scope that
        do ("SEND Improvement Advisory Board (SIAB)"), found by searching for the term alone."""
        assert turn.analysis is not None
        term = defined_term(turn.analysis)
        if not term or any(defines(p.text, term) for p in turn.passages):
            return []
        using = next((p for p in turn.passages if re.search(rf"\b{re.escape(term)}\b", p.text)), None)
        # a paper spells a term out where it first uses it: search the paper that uses it, then all in scope
        found = self._rest_of(using, turn, term) if using is not None else []
        if not any(defines(p.text, term) for p in found):
            try:
                found = self.search(term, turn.audience, turn.scope, ANSWER_PASSAGES * 2).passages
            except BadFilterError:
                return []
        seen = {p.chunk_id for p in turn.passages}
        return [p for p in found if p.chunk_id not in seen and defines(p.text, term)][:DEFINING_PASSAGES]

    def _sections(self, turn: Turn) -> list[Passage]:
        """The sections of the papers found whose heading the question echoes ("what were the areas for
        improvement?" and a report's "What needs to improve?"), when the search did not bring them."""
        if self.paper_passages is None or turn.analysis is None:
            return []
        doc_ids = list(dict.fromkeys(p.doc_id for p in turn.passages))
        papers = [self.paper_passages(d, turn.audience) for d in doc_ids]
        return fitting_sections(
            turn.analysis,
            papers,
            (p.chunk_id for p in turn.passages),
            SECTION_PASSAGES,
            places=_places_of(turn),
        )

    def _rest_of(
        self, paper: Any, turn: Turn, query: str = "", base: SearchFilters | None = None
    ) -> list[Passage]:
        """More passages of `paper`'s paper (a passage or a document: its id, date, type and council) for the
        question, or `query`: a search within that paper, in `base` (the question's scope unless given)."""
        base = base if base is not None else turn.scope or SearchFilters()
        within = replace(
            base,
            date_from=paper.date,
            date_to=paper.date,
            doc_types=(str(paper.doc_type),) if paper.doc_type else (),
            councils=(paper.council,) if paper.council else base.councils,
        )
        try:
            more = self.search(query or turn.query, turn.audience, within, ANSWER_PASSAGES * 2).passages
        except BadFilterError:
            return []
        return [p for p in more if p.doc_id == paper.doc_id]

    def _of_newest(self, turn: Turn, candidates: list[Candidate]) -> list[Candidate]:
        """For "what happened at the last meeting?", the sentences of the newest paper of that kind: among the
        passages found, then the rest of the library this audience may read for the councils in scope."""
        assert turn.analysis is not None
        papers = [Paper(p.doc_id, p.title, str(p.doc_type), p.date) for p in turn.passages]
        allowed = set(turn.scope.councils) if turn.scope is not None and turn.scope.councils else None
        papers += [
            Paper(d.doc_id, d.title, str(d.doc_type), d.date)
            for d in self.papers(turn.audience)
            if allowed is None or d.council in allowed
        ]
        doc_id = newest_of_kind(turn.analysis, papers)
        paper = self.documents(doc_id) if doc_id else None
        if doc_id is None or paper is None:
            return candidates
        # the rest of that paper: its standing items often fill the passage found, its business comes later
        seen = {p.chunk_id for p in turn.passages}
        extra = [p for p in self._rest_of(paper, turn, base=SearchFilters()) if p.chunk_id not in seen]
        offset = len(turn.passages)
        turn.passages = [*turn.passages, *extra]
        own = [c for c in candidates if turn.passages[c.passage_index].doc_id == doc_id]
        for cand in collect(turn.analysis, extra, self.embed, max_passages=len(extra), flagged=turn.flagged):
            cand.passage_index += offset
            own.append(cand)
        if not own:
            return candidates
        turn.notes.append("Answered from the newest paper of the kind asked about.")
        turn.newest = doc_id
        return sorted(own, key=lambda c: c.score, reverse=True)

    def _grade_lead(self, turn: Turn) -> list[Line]:
        """An open question about what inspectors said of a judged area is led by the grade the record holds for
        it (cited to the report); the summary of what the report says follows."""
        if self.record is None or turn.analysis is None:
            return []
        from assistant import record_answers

        record = self.record(turn.audience)
        if record is None:
            return []
        lead = record_answers.grade_lead(turn.analysis, turn.about, record, self.documents)
        if lead is None:
            return []
        offset = len(turn.passages)
        turn.passages = [*turn.passages, *lead.passages]
        return [
            replace(line, passage=None if line.passage is None else line.passage + offset)
            for line in lead.lines
        ]

    def _inspection_window(self, turn: Turn, lines: list[Line]) -> list[Line]:
        """Asked for the next inspection window when the papers give the last inspection but no window: computed
        in code (standard inspections every 3 years, plus or minus 6 months) and said to be computed."""
        analysis = turn.analysis
        assert analysis is not None
        words = {w.lower() for w in analysis.text.replace("?", " ").split()}
        if not ({"next", "due", "window"} & words and any(w.startswith("inspect") for w in words)):
            return []
        stated = [
            line
            for line in lines
            if line.kind == LineKind.QUOTE
            and ("window" in line.text.lower() or "every 3 years" in line.text.lower())
        ]
        if stated:
            return []
        found = extract_last_inspection(turn.passages)
        if not found:
            return []
        last, passage = found
        window = next_standard_inspection_window(last)
        index = turn.passages.index(passage)
        turn.notes.append("The inspection window was calculated in code from a cited date.")
        quote = find_quote(fmt_date(last), passage.text) or passage.text[:200]
        return [
            Line(quote, LineKind.QUOTE, index),
            Line(
                f"Calculated from the papers (not stated in them): the last standard inspection was in "
                f"{last.strftime('%B %Y')}, and standard inspections usually follow every 3 years, plus or minus "
                f"6 months, so the next window is {window.text}.",
                LineKind.NOTE,
            ),
        ]

    # ------------------------------------------------------------------------------------------ the record

    def _from_record(self, turn: Turn) -> Answer | None:
        """Questions about councils' inspections (dates, lead inspector, grades, history, comparisons, the next
        window) answered from the inspection record, through the same composer and verifier."""
        if self.record is None or turn.analysis is None or self.chat_model is not None:
            return None
        from assistant import record_answers

        if not record_answers.fits(turn.analysis):
            return None
        record = self.record(turn.audience)
        if record is None:
            return None
        about = turn.about or turn.analysis.councils
        found = record_answers.answer(
            turn.analysis, about, record, self.documents, self.today or dt.date.today()
        )
        if found is None:
            return None
        if found.declined and not found.lines:
            turn.notes.append("Checked the inspection record (facts read from the reports at ingest).")
            # the record's reason, as a sentence: "The ILACS ... (published 17 December 2021) gives no such grade."
            said = f"{found.declined[:1].upper()}{found.declined[1:]}."
            return self._not_found(turn, found.declined, said=said)
        composed = compose(found.lines, found.passages, None)
        if not composed.citations:
            return None
        turn.passages = found.passages
        turn.answerer = "inspection record"
        turn.notes.append("Answered from the inspection record (facts read from the reports at ingest).")
        return self._answer(turn, composed, Decision(True, 0.95, "answered from the inspection record"))

    # ------------------------------------------------------------------------------------------ intervals

    def _interval(self, turn: Turn, places: Places) -> Answer | None:
        """ "How long after X did Y?", "how long between X and Y?": each event searched for and dated on its own,
        the gap worked out in code and shown with both quotes. None when the question is not of that kind or an
        event is not dated in the papers (the ordinary answer step then says what it can)."""
        analysis = turn.analysis
        if analysis is None or self.chat_model is not None:
            return None
        interval = intervals.parse_interval(analysis, places.names())
        if interval is None:
            return None
        weights = analysis.weights
        named = " ".join(turn.about)
        passages: list[Passage] = []
        found: list[list[intervals.Dated]] = []
        for event in (interval.first, interval.second):
            if event.today:
                found.append([])
                continue
            result = self.search(f"{event.query} {named}", turn.audience, turn.scope, ANSWER_PASSAGES)
            found.append(
                intervals.dated_sentences(
                    event, result.passages, weights, len(passages), turn.about, _is_local
                )
            )
            passages += result.passages
        today = self.today or dt.date.today()
        if interval.second.today:
            # "how long has it been since the inspection?": the latest of them, unless the first is asked
            firsts = found[0] if interval.first.order == "first" else intervals.latest_first(found[0])
            chosen = (firsts[0], intervals.today_dated(today)) if firsts else None
        else:
            chosen = intervals.pair(interval, found[0], found[1])
        if chosen is None:
            return None
        one, two = chosen
        span = intervals.gap(interval, one, two)
        dated = sorted(((one, interval.first), (two, interval.second)), key=lambda pair: pair[0].start)
        ends = [
            _day_or_month(span.frm, dated[0][0].precision),
            "today" if interval.second.today else _day_or_month(span.to, dated[1][0].precision),
        ]
        lines = [
            Line(
                f"{span.text[:1].upper()}{span.text[1:]}: from {ends[0]} to {ends[1]} (worked out from the dates "
                "quoted below).",
                LineKind.NOTE,
            )
        ]
        lines += [
            Line(d.sentence, LineKind.QUOTE, d.passage, bullet=True) for d, _ in dated if d.passage >= 0
        ]
        composed = compose(lines, passages, None)
        if composed.dropped or not composed.citations:
            return None  # a quote did not verify against its passage
        turn.passages = passages
        turn.notes.append("Worked out in code from the dates the papers give for each event.")
        score = min(0.95, 0.5 + 0.5 * min(d.score for d, _ in dated if d.passage >= 0))
        return self._answer(turn, composed, Decision(True, score, "the gap between two dated events"))

    # ------------------------------------------------------------------------------------------ comparison

    def _compare(self, turn: Turn, places: Places) -> Answer:
        """One answer per council named, side by side, each from that council's papers; numeric values are
        compared in code."""
        analysis = turn.analysis
        assert analysis is not None
        # a measure compared, or a short answer asked of each side ("who got outstanding first, Essex or
        # Islington?": each one's date)
        kind = measure_type(analysis) or (analysis.answer_type if analysis.answer_type.factoid else None)
        part = analysis.parts[0] if kind is None else replace(analysis.parts[0], answer_type=kind)
        lines: list[Line] = []
        passages: list[Passage] = []
        decisions: list[Decision] = []
        found: list[tuple[str, TypedSpan]] = []
        overalls: list[tuple[str, str]] = []  # (council, overall grade) stated in its papers' text
        grades = text_grades.asks_grades(analysis)
        record = self.record(turn.audience) if self.record is not None else None
        # each side's filters keep to its council's papers: no council's name or short form ("Herts") is left in
        # the query to pull towards papers that happen to use it
        query = _without(turn.query, [n for n in places.names() if places.canonical(n) in turn.about])
        base = turn.filters or SearchFilters()
        for place in turn.about:
            held = self._record_side(turn, place, record)
            if (
                held is not None
            ):  # this council's inspection is in the record: its grades, cited to the report
                offset = len(passages)
                passages.extend(held.passages)
                lines += [
                    replace(line, passage=None if line.passage is None else line.passage + offset)
                    for line in held.lines
                ]
                decisions.append(Decision(True, 0.95, "answered from the inspection record"))
                continue
            own = []
            # its own papers first, then national bodies' papers naming it (which would otherwise fill the
            # passages with the framework's guidance on every council)
            for councils in (places.councils_of([place]), places.councils_of([place]) | places.national):
                filters = SearchFilters(
                    base.date_from, base.date_to, base.bodies, base.doc_types, tuple(sorted(councils))
                )
                result = self.search(query, turn.audience, filters, ANSWER_PASSAGES)
                own = [
                    p
                    for p in result.passages
                    if place_of(p.council) == place or place.lower() in p.text.lower()
                ]
                if own:
                    break
            # the years named beside this council's name are its own ("Calderdale (2021/22) and Wakefield
            # (2018/19)")
            side = for_one_side(analysis, [n for n in places.names() if places.canonical(n) == place])
            offset = len(passages)
            graded = text_grades.grades_asked(side, own) if grades else []
            if graded:  # the grades this council's papers state, area by area
                overall = text_grades.overall_of(graded)
                if overall is not None:
                    overalls.append((place, overall))
                passages.extend(own)
                lines.append(Line(f"{place}:", LineKind.HEADING))
                lines += [
                    replace(line, passage=(line.passage or 0) + offset)
                    for line in text_grades.lines_of(graded, own)
                ]
                decisions.append(GRADES_FROM_TEXT_DECISION)
                continue
            candidates = (
                collect(
                    side,
                    own,
                    self.embed,
                    terms=side.key_terms,
                    about=[place],
                    is_local=_is_local,
                    flagged=turn.flagged,
                    prefer_local=True,
                )
                if own
                else []
            )
            short = (
                find(
                    side,
                    part,
                    candidates,
                    [p.doc_id for p in own],
                    [place],
                    _shown_safely(own),
                    [p.date for p in own],
                )
                if kind and candidates
                else None
            )
            decision = decide(
                side, candidates, [short] if kind else [], self.config.min_answerability, _dense(own)
            )
            news = (
                paper_dates.grade_reported(side, candidates, own, _shown_safely(own))
                if not decision.answer and kind == AnswerType.DATE
                else None
            )
            if news is not None and (day := own[news.passage_index].date) is not None:
                # "who got outstanding first?": a side whose paper reports the grade as just given
                decisions.append(REPORTED_DECISION)
                passages.extend(own)
                lines.append(Line(f"{place}:", LineKind.HEADING))
                lead = f"Reported: {fmt_date(day)} (the date of the paper reporting it as just given)."
                lines.append(Line(lead, LineKind.LEAD, offset + news.passage_index))
                lines.append(Line(news.sentence, LineKind.QUOTE, offset + news.passage_index, bullet=True))
                text = fmt_date(day)
                found.append(
                    (place, TypedSpan(0, len(text), text, AnswerType.DATE, f"date:{day.isoformat()}"))
                )
                continue
            decisions.append(decision)
            if not decision.answer:
                lines.append(Line(f"{place}: the papers held do not say.", LineKind.NOTE))
                continue
            passages.extend(own)
            lines.append(Line(f"{place}:", LineKind.HEADING))
            if short is not None:
                index = offset + short.candidate.passage_index
                qualifier = _qualifier(own[short.candidate.passage_index], short)
                lines.append(Line(f"{_label(part, False)}: {short.shown}{qualifier}.", LineKind.LEAD, index))
                lines.append(Line(short.candidate.sentence, LineKind.QUOTE, index, bullet=True))
                found.append((place, short.spans[0]))
            else:
                # the side's best points (`choose` gives them in reading order: cutting its list would keep
                # a paper's opening sentences, not its best)
                for point in choose(side, candidates, own, _shown_safely(own), limit=SIDE_POINTS):
                    lines.append(
                        Line(point.text, LineKind.QUOTE, offset + point.candidate.passage_index, bullet=True)
                    )
        turn.passages = passages
        if not passages:
            return self._not_found(turn, "no papers of the councils named matched the question")
        if kind is not None and len(found) >= 2:
            note = compare_note(found, kind)
            if note:
                lines.append(Line(note, LineKind.NOTE))
        if len(overalls) >= 2:
            lines.append(Line(text_grades.verdict(overalls), LineKind.NOTE))
        composed = compose(lines, passages, None)
        if not composed.citations:
            return self._not_found(turn, "no sentence was supported by its passage")
        best = max(decisions, key=lambda d: d.score) if decisions else Decision(True, 0.0, "")
        if any(not d.answer for d in decisions):
            composed.status = Status.PARTIAL
        return self._answer(turn, composed, best)

    def _grades_in_text(self, turn: Turn) -> Answer | None:
        """ "What were the four judgements for Swindon?" when the record does not hold that inspection: the grades
        the council's own papers found state, area by area, each cited to its sentence."""
        analysis = turn.analysis
        assert analysis is not None
        if not text_grades.asks_grades(analysis) or analysis.comparison or analysis.change:
            return None
        keep = [i for i, p in enumerate(turn.passages) if not turn.about or place_of(p.council) in turn.about]
        lines = text_grades.grade_lines(analysis, turn.passages, keep)
        if not lines:
            return None
        lines.append(Line(GRADES_FROM_TEXT, LineKind.NOTE))
        composed = compose(lines, turn.passages, None)
        if not composed.citations:
            return None
        return self._answer(turn, composed, GRADES_FROM_TEXT_DECISION)

    def _record_side(self, turn: Turn, place: str, record: Any) -> Any:
        if record is None or turn.analysis is None or self.chat_model is not None:
            return None
        from assistant import record_answers

        return record_answers.compare_one(turn.analysis, place, record, self.documents)

    # ------------------------------------------------------------------------------------------ generative

    def _generative(self, turn: Turn) -> Answer | None:
        from assistant.generative import generate

        assert self.chat_model is not None
        try:
            out = generate(self.chat_model(), turn.question, turn.passages[: turn.k], turn.history)
        except BackendUnavailableError as exc:
            turn.notes.append(str(exc))
            turn.answerer = "extractive (fallback)"
            return None
        turn.answerer = f"llm:{self.config.llm_label}"
        if out.not_found:
            turn.notes.append(
                "The language model found no answer in the passages; checked the quotes directly."
            )
            turn.answerer = "extractive (fallback)"
            return None
        verification = verify(out.text, turn.passages[: turn.k], self.similarity)
        if not verification.supported_text():
            turn.notes.extend(verification.notes())
            turn.notes.append(
                "The language model's answer could not be verified against the papers; "
                "quoted passages are shown instead."
            )
            turn.answerer = "extractive (fallback)"
            return None
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
                        else find_quote(v.sentence, turn.passages[n - 1].text)
                    )
                    if q and q not in quotes[n]:
                        quotes[n].append(q)
        citations = [to_citation(mapping[n], turn.passages[n - 1], " … ".join(quotes[n][:2])) for n in order]
        turn.notes.extend(verification.notes())
        composed = Composed(
            renumber(verification.supported_text(), mapping), citations, verification.status, []
        )
        return self._answer(turn, composed, Decision(True, 1.0, "generative answer verified"))

    # ------------------------------------------------------------------------------------------ endings

    def _flag_notes(self, turn: Turn) -> list[str]:
        """For officers: sentences of the papers left out because they read as instructions to an assistant or
        as fake citations (planted text is worth a look; residents are not shown it)."""
        if turn.audience != Audience.OFFICER:
            return []
        out = []
        for passage, kind, sentence in turn.flagged[:3]:
            what = (
                "an instruction to an assistant" if kind == "instruction" else "a citation, not a statement"
            )
            out.append(
                f"Left out a sentence of “{passage.title}” ({fmt_date(passage.date)}) that reads as {what}: "
                f"“{sentence[:200]}”"
            )
        return out

    def _answer(self, turn: Turn, composed: Composed, decision: Decision) -> Answer:
        notes = [*turn.notes, *composed.dropped, *self._flag_notes(turn)]
        return Answer(
            question=turn.asked,
            text=composed.text,
            status=composed.status,
            citations=composed.citations,
            as_at=as_at_line(composed.citations),
            notes=notes,
            answerer=turn.answerer,
            query=turn.query,
            answerability=round(decision.score, 4),
            short_answer=composed.short_answer,
            signals={k: round(v, 4) for k, v in decision.signals.items()},
        )

    def _not_found(
        self,
        turn: Turn,
        reason: str,
        score: float = 0.0,
        signals: dict[str, float] | None = None,
        said: str = "",
    ) -> Answer:
        """A refusal naming what was looked for and what the papers cover; `said`, a sentence on what was found
        and why it is not the answer."""
        cover = self.coverage(turn.audience)
        # a question about another council: what that council's own papers cover, not the whole library
        named = turn.analysis is not None and not turn.analysis.home
        own = cover.of(turn.about) if named and turn.about else None
        whose, template = "", REFUSAL_TEMPLATE
        if own is not None:
            (whose, cover), template = own, REFUSAL_OWN_TEMPLATE
        bodies = ", ".join(cover.bodies[:4]) or "council bodies"
        text = template.format(whose=whose, bodies=bodies, span=_span(cover.earliest, cover.latest))
        looked = " ".join(x for x in (_looked_for(turn), said) if x)
        if looked:
            text = f"{looked} {text}"
        closest = [to_citation(i, p, "") for i, p in enumerate(turn.passages[:3], start=1)]
        return Answer(
            turn.asked,
            text,
            Status.NOT_FOUND,
            citations=[],
            as_at="",
            notes=[*turn.notes, *self._flag_notes(turn), f"why: {reason}"],
            answerer=turn.answerer,
            closest=closest,
            query=turn.query,
            answerability=round(score, 4),
            signals={k: round(v, 4) for k, v in (signals or {}).items()},
        )


# ---------------------------------------------------------------------------------------------- wording

PRIVATE_ONLY = (
    "The sentences that would answer it name someone who may be a private individual (a child, a parent or a "
    "member of the public), so they are not given as the answer."
)

_TYPE_LABELS = {
    AnswerType.CONTACT: "Contact",
    AnswerType.PERSON: "Name",
    AnswerType.ORGANISATION: "Organisation",
    AnswerType.DATE: "Date",
    AnswerType.DURATION: "How long",
    AnswerType.FREQUENCY: "How often",
    AnswerType.NUMBER: "Number",
    AnswerType.MONEY: "Amount",
    AnswerType.PERCENTAGE: "Percentage",
    AnswerType.JUDGEMENT: "Judgement",
}
_LOOKED = {
    AnswerType.CONTACT: "contact details",
    AnswerType.PERSON: "a person's name",
    AnswerType.ORGANISATION: "an organisation",
    AnswerType.DATE: "a date",
    AnswerType.DURATION: "a length of time",
    AnswerType.FREQUENCY: "how often",
    AnswerType.NUMBER: "a number",
    AnswerType.MONEY: "a sum of money",
    AnswerType.PERCENTAGE: "a percentage",
    AnswerType.JUDGEMENT: "an Ofsted judgement",
}


def _day_or_month(day: dt.date, precision: str) -> str:
    return fmt_date(day) if precision == "day" else day.strftime("%B %Y")


def _label(part: Part, multipart: bool) -> str:
    focus = part.focus
    if part.answer_type == AnswerType.CONTACT:
        return "Contact"  # not "Services: 0161 ..."
    # "... and how many were upheld?": "complaints upheld", the part's own words without the question's
    own = " ".join(w for w in part.text.split() if w.lower() not in stop_words(ENGLISH))
    if (
        multipart
        and part.focus is not None
        and own
        and part.text != part.focus.text
        and len(part.text.split()) <= 4
        and borrowed(part)
    ):
        text = f"{part.focus.text} {own}"
    elif (
        multipart
        and focus is not None
        and borrowed(part)
        and (rest := _COUNTING.sub("", part.text)) != part.text
    ):
        text = f"{focus.text} that {rest}"  # "..., and how many went to Stage 2?": "complaints that went to Stage 2"
    elif focus is not None and not (
        part.answer_type == AnswerType.PERSON and not lexicon().within("person", focus.core)
    ):
        text = focus.shown or focus.text
    else:  # "who said the Ofsted report made grim reading?": "Name", not "Ofsted report"
        text = _TYPE_LABELS.get(part.answer_type, "Answer")
    if (
        part.answer_type == AnswerType.NUMBER
        and focus is not None
        and not text.lower().startswith(("number", "total"))
    ):
        text = f"Number of {text}"
    if part.answer_type == AnswerType.NUMBER and (done := undergone_words(part)) and done not in text:
        text = f"{text} {done}"  # "Number of complaints upheld", not a count of all of them
    return text[:1].upper() + text[1:]


_COUNTING = re.compile(r"^how\s+(?:many|much)\s+", re.I)
_FIGURE_TYPES = frozenset({AnswerType.NUMBER, AnswerType.MONEY, AnswerType.PERCENTAGE})


def _qualifier(passage: Passage, short: ShortAnswer) -> str:
    """ "(Bury Council, 2024/25)": whose figure it is, and for which period when the sentence says; when it
    does not, the date of the paper that gives it ("paper of 16 May 2016")."""
    bits = []
    if passage.council and place_of(passage.council):
        bits.append(passage.council)
    if short.part.answer_type in _FIGURE_TYPES | {AnswerType.JUDGEMENT}:
        from assistant.spans import typed_spans

        dates = [
            s
            for s in typed_spans(short.candidate.sentence)
            if s.kind == AnswerType.DATE and not any(s.overlaps(x) for x in short.spans)
        ]
        if dates:
            bits.append(dates[0].text)
        elif passage.date is not None:
            bits.append(f"paper of {fmt_date(passage.date)}")
    return f" ({', '.join(bits)})" if bits else ""


def _span(earliest: dt.date | None, latest: dt.date | None) -> str:
    """ " from 1 March 2023 to 5 November 2025", " of 5 November 2025" (one date), or "" (no dates)."""
    if earliest is None or latest is None:
        return ""
    if earliest == latest:
        return f" of {fmt_date(earliest)}"
    return f" from {fmt_date(earliest)} to {fmt_date(latest)}"


def _looked_for(turn: Turn) -> str:
    analysis = turn.analysis
    if analysis is None:
        return ""
    whose = ", ".join(turn.about) if turn.about else ""
    what = _LOOKED.get(analysis.answer_type, "")
    # "complaints about SEND services": what narrows the thing is part of what was looked for
    focus = (
        " ".join(f"{analysis.focus.shown or analysis.focus.text} {narrowing(analysis.focus)}".split())
        if analysis.focus
        else ""
    )
    if not (what or focus):
        return ""
    bits = "I looked for " + (what or "an answer")
    if focus:
        bits += f" about “{focus}”"
    if whose:
        bits += f" in the papers of {whose} and national bodies"
    return bits + "."


def _without(text: str, places: Sequence[str]) -> str:
    """The question with other councils' names taken out, to search one council's papers."""
    for place in places:
        text = re.sub(rf"(?<![\w-]){re.escape(place)}(?:['’]s)?(?![\w-])", "", text, flags=re.I)
    return " ".join(text.split())


def _is_local(council: str) -> bool:
    return bool(place_of(council))


def _named(turn: Turn) -> tuple[str, ...]:
    """The places a question names (not the home council it defaults to): national papers must name them."""
    analysis = turn.analysis
    return turn.about if analysis is not None and (analysis.councils or analysis.unknown_places) else ()


def _places_of(turn: Turn) -> tuple[str, ...]:
    """The places in the question and its scope (their names fit every heading about them)."""
    analysis = turn.analysis
    return (*turn.about, *(analysis.councils if analysis is not None else ()))


def _dense(passages: Sequence[Passage]) -> float:
    """The best dense similarity among the first passages (0 when retrieval gave none)."""
    return max((float(p.scores.get("dense", 0.0)) for p in passages[:3]), default=0.0)


def _shown_safely(passages: Sequence[Passage]) -> Callable[[Candidate], bool]:
    """Whether a candidate sentence may be shown: never one naming a private individual (cached per sentence)."""
    from assistant.candidates import names_private_people

    seen: dict[tuple[int, str], bool] = {}

    def allowed(cand: Candidate) -> bool:
        key = (cand.passage_index, cand.sentence)
        if key not in seen:
            seen[key] = not names_private_people(cand, passages)
        return seen[key]

    return allowed


def _leans_on(places: Sequence[str], today: dt.date | None) -> Callable[[str, Sequence[Any]], bool]:
    """The follow-up test the guardrails use to walk a chain of follow-ups back to where it started."""

    def leans(question: str, history: Sequence[Any]) -> bool:
        return followup.is_followup(
            question, history, len(analyse(question, places, today).key_terms), places
        )

    return leans
