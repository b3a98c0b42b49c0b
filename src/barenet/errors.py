"""One exception family for everything a user can cause.

Every message names the file or option at fault, what was expected and what was found, and the
fix. The library raises these; only the command line turns them into one line on stderr and a
non-zero exit status.

    BarenetError
    ├── ConfigError     a bad option, flag value or TOML configuration
    ├── DataError       a missing, corrupt, truncated or wrong-shaped dataset file
    │   └── ShapeError  arrays whose shape does not fit the network (also a ValueError)
    ├── ModelFileError  a model file that is missing, corrupt, unsafe or inconsistent
    ├── ImageError      a user's image that cannot be read or holds no digit
    └── TrainingError   training that cannot go on (a loss that became NaN or infinite)
"""

from __future__ import annotations


class BarenetError(Exception):
    """Base of every error a user can cause; its message says what is wrong and how to fix it."""


class ConfigError(BarenetError):
    """A bad option, flag value or configuration file."""


class DataError(BarenetError):
    """A dataset file that is missing, corrupt, truncated or not what it claims to be."""


class ShapeError(DataError, ValueError):
    """Inputs or targets whose shape does not fit the network, e.g. unflattened 28×28 images.

    Also a ValueError, the type the engine raises for a bad argument, so both kinds of caller
    (the command line, which prints a BarenetError as one line, and NumPy-style code) catch it.
    """


class ModelFileError(BarenetError):
    """A model file that is missing, corrupt, unsafe (pickle) or inconsistent with itself."""


class ImageError(BarenetError):
    """A user's image that cannot be read, or that holds no digit."""


class TrainingError(BarenetError):
    """Training that cannot go on, for example a loss that became NaN or infinite."""
