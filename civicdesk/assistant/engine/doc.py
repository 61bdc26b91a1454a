"""The record the engine indexes and answers from: a handbook procedure, guide or FAQ as plain data."""

from dataclasses import dataclass, field


@dataclass
class Doc:
    id: str  # "procedure:HT-001", "guide:<slug>", "faq:<slug>"
    kind: str
    title: str
    url: str
    text: str  # the handbook's export text
    keywords: list = field(default_factory=list)
    summary: str = ""
    topic: str = ""
    card: dict = field(default_factory=dict)  # the structured fields an answer is composed from (compose.py)
    examples: list = field(default_factory=list)  # questions known to be answered by it (examples.py)
