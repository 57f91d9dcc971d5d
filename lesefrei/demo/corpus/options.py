"""What a corpus run is asked for (Options), what it made (Report), what it refuses."""

from dataclasses import dataclass, field
from datetime import date, datetime

# Generated data starts with this: page slugs, reader user names, supporter addresses.
PREFIX = "korpus-"


class CorpusError(Exception):
    """Input or a state of the site the generator refuses (message in German)."""


@dataclass
class Options:
    articles: int = 0
    comments: int = 0
    supporters: int = 0
    seed: int = 1
    batch_size: int = 2000
    years: int = 5
    now: datetime | None = None  # the instant the archive ends; default: this hour
    prefix: str = PREFIX  # what generated names start with (the benchmarks use "bench-")

    def validate(self) -> None:
        for name in ("articles", "comments", "supporters"):
            if getattr(self, name) < 0:
                raise CorpusError(f"--{name} muss 0 oder größer sein.")
        if self.batch_size < 1:
            raise CorpusError("--batch-size muss mindestens 1 sein.")
        if not 1 <= self.years <= 50:
            raise CorpusError("--years muss zwischen 1 und 50 liegen.")
        if self.comments and not self.articles:
            raise CorpusError(
                "Kommentare werden unter den neu erzeugten Artikeln verteilt: "
                "--comments braucht --articles > 0."
            )


@dataclass
class Report:
    articles: list[int] = field(default_factory=list)
    authors: int = 0
    topics: int = 0
    readers: int = 0
    comments: int = 0
    replies: int = 0
    supporters: int = 0
    pledges: int = 0
    due_until: date | None = None
    due_collections: int = 0
    timings: dict[str, float] = field(default_factory=dict)
