"""One catalogue of the errors a user can see, each saying what to do."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class: `str(err)` is a one-line message fit for stderr."""


class InputError(NewsgraphError):
    """An input (file, JSONL line, WARC record) was rejected; the rest of the batch goes on."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UsageError(NewsgraphError):
    """The command was called wrongly (exit status 2)."""


class ModelMissing(NewsgraphError):
    def __init__(self, model: str):
        super().__init__(
            f"spaCy model {model!r} is not installed. Run `make install` (or "
            f"`pip install -e .`) to install the pinned model package."
        )
