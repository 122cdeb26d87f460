"""newsgraph: a sourced knowledge base from news articles."""

__version__ = "0.1.0"
