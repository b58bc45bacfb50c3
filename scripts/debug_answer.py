"""Show how the answer step saw a question: analysis, scope, passages, top candidates, short answers, decision."""

from __future__ import annotations

import os
import sys

from assistant.answerability import features, score
from assistant.candidates import collect
from assistant.question import analyse, with_weights
from assistant.scope import scope
from assistant.service import Assistant
from assistant.settings import load_settings
from assistant.shortanswer import find


def main(question: str, audience: str = "public") -> None:
    bot = Assistant.from_settings(load_settings())
    places = bot.place_index(audience)
    a = with_weights(analyse(question, places.names()), bot.searcher.idf, audience)
    print("weights:", {k: round(v, 2) for k, v in a.weights.items()})
    print(
        "type:",
        a.answer_type,
        "focus:",
        a.focus,
        "\nkey:",
        sorted(a.key_terms),
        "councils:",
        a.councils,
        "years:",
        a.years,
    )
    print("parts:", [(p.text, p.answer_type.value, p.focus.text if p.focus else None) for p in a.parts])
    filters, about = scope(a, places, bot.settings.home_council)
    print("about:", about)
    result = bot.search(question, audience, filters, 8)
    for i, p in enumerate(result.passages):
        print(f"  P{i} {p.council} | {p.title[:60]} | {p.date} | {p.score:.3f}")
    from assistant.pipeline import _is_local

    named = about if (a.councils or a.unknown_places) else ()
    cands = collect(
        a,
        result.passages,
        bot.embed_texts,
        about=named,
        is_local=_is_local,
        must_name=bool(a.unknown_places and not a.councils),
        prefer_local=bool(about),
    )
    for c in cands[: int(os.environ.get("DEBUG_TOP", "12"))]:
        print(f"  {c.score:.3f} sim={c.similarity:.2f} lex={c.lexical:.2f} ctx={c.context:.2f}", end=" ")
        print(f"foc={c.focus:.2f} per={c.period:.2f} P{c.passage_index}: {c.sentence[:150]}")
    shorts = (
        [find(a, part, cands, [p.doc_id for p in result.passages], about) for part in a.parts]
        if a.answer_type.factoid
        else []
    )
    for s in shorts:
        if s:
            print(
                "  SHORT:",
                s.text,
                f"rel={s.relation:.2f} score={s.score:.3f} agree={s.agreement}",
                "|",
                s.candidate.sentence[:120],
            )
            for c, sp, sc in s.alternatives:
                print(f"     alt {sp.text!r} {sc:.3f} | {c.sentence[:90]}")
    f = features(a, cands, shorts)
    print("features:", {k: round(v, 2) for k, v in f.items()}, "score:", round(score(f), 3))
    ans = bot.ask(question, audience)
    print("\n" + ans.text, "\n", ans.status, ans.notes)


if __name__ == "__main__":
    main(*sys.argv[1:])
