"""Mistakes a user can make, as exceptions whose message is one human sentence. `RagError` is
what doors catch (the CLI prints it as one line, the chat shows it); the subclasses say which
part of the world is wrong, so code that handles one kind never parses a message."""


class RagError(Exception):
    """Bad input or environment the user can fix. CLI and UI print it as a single line."""


class InputError(RagError):
    """A question, setting, flag or question file the user gave is not usable."""


class CorpusError(RagError):
    """A document or the corpus folder cannot be read, added or removed."""


class IndexStateError(RagError):
    """The index on disk is missing, damaged or from an older version; building it again fixes this."""


class ModelError(RagError):
    """A model file or model server is missing, broken or too small for the work."""


class StoreError(RagError):
    """The search engine (a Qdrant store) is unreachable or holds another index."""


class ClusterError(RagError):
    """The Dask cluster answering an evaluation cannot be reached or failed."""
