"""The optional generative answerer: any OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, Azure OpenAI)
through langchain-openai. Its output is only a draft: the verifier decides what reaches the user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.errors import BackendUnavailableError
from assistant.prompts import NOT_FOUND_SENTINEL, build_messages
from vectorstore.passage import Passage

_ROLE = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


@dataclass
class Draft:
    text: str
    not_found: bool


def to_messages(pairs: Sequence[tuple[str, str]]) -> list[BaseMessage]:
    return [_ROLE[role](content=content) for role, content in pairs]


def draft_chain(model: BaseChatModel) -> Runnable[dict[str, Any], str]:
    """LCEL: {question, passages, history} -> messages -> chat model -> text."""

    def _prompt(inputs: dict[str, Any]) -> list[BaseMessage]:
        history = [(turn["role"], turn["content"]) for turn in inputs.get("history", [])]
        return to_messages(build_messages(inputs["question"], inputs["passages"], history))

    return RunnableLambda(_prompt) | model | StrOutputParser()


def generate(
    model: BaseChatModel, question: str, passages: Sequence[Passage], history: Sequence[dict[str, str]] = ()
) -> Draft:
    """Ask the model for a cited draft. Connection problems and timeouts become BackendUnavailableError."""
    turns: list[dict[str, str]] = []
    for h in history:
        if h.get("question"):
            turns.append({"role": "user", "content": h["question"]})
        if h.get("answer"):
            turns.append({"role": "assistant", "content": h["answer"]})
    try:
        text = draft_chain(model).invoke({"question": question, "passages": list(passages), "history": turns})
    except Exception as exc:  # openai raises APIConnectionError, APITimeoutError, APIStatusError, ...
        raise BackendUnavailableError(
            f"The language model did not answer ({type(exc).__name__}).",
            "Showing quoted passages instead.",
        ) from None
    if not isinstance(text, str):
        raise BackendUnavailableError("The language model returned something that is not text.", "")
    cleaned = text.strip()
    if not cleaned or NOT_FOUND_SENTINEL in cleaned:
        return Draft("", True)
    return Draft(cleaned, False)


def make_chat_model(base_url: str, model: str, api_key: str, timeout_s: float) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key,  # type: ignore[arg-type]
        timeout=timeout_s,
        max_retries=0,
        temperature=0.0,
        max_completion_tokens=400,
    )
