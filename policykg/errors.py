"""The library's exceptions. The CLI turns each into ``Error: …`` and exit code 1."""


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""


class ReadError(PolicyKGError):
    """A file could not be read as a notice (binary, empty, undecodable)."""


class ExtractError(PolicyKGError):
    """A notice was read but its facts could not be extracted."""


class StoreError(PolicyKGError):
    """The store could not be opened or written."""


class QueryError(PolicyKGError):
    """A SPARQL query was invalid, failed, or timed out."""


class NotFound(PolicyKGError):
    """A document, agency or named query asked for is not there."""
