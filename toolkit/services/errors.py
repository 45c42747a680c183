"""Errors a user can act on: the message is one Chinese sentence, shown without a traceback."""


class UserError(Exception):
    """Something the user asked for cannot be done; ``str()`` says why and what to do."""
