"""The one exception type for mistakes a user can make; its message is one human sentence."""


class RagError(Exception):
    """Bad input or environment the user can fix. CLI and UI print it as a single line."""
