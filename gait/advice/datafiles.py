"""Small typed readers for the advice data files in ``gait/advice/data/`` (TOML).

The texts and tables of the advice (exercises, findings, the filming guide) are data, kept
in TOML so they can be edited without touching code (``tomllib`` is in the standard library).
Each file is read once, at import, through :class:`Fields`, which checks every field's type
and names the file and the field when one is wrong, so a broken edit fails in the tests with
a message that says where to look, never with a bare ``KeyError``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from gait.errors import GaitError

__all__ = ["DATA_DIR", "DataFileError", "Fields", "data_file_label", "read_data_file"]

#: Found next to this module, whatever the working directory.
DATA_DIR = Path(__file__).resolve().parent / "data"
_REPO_ROOT = Path(__file__).resolve().parents[2]


class DataFileError(GaitError):
    """An advice data file is missing, is not valid TOML, or has a wrong or missing field."""


def data_file_label(path: Path) -> str:
    """The file as a developer would look for it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(_REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def _broken(label: str, detail: str) -> DataFileError:
    return DataFileError(
        "advice_data_invalid",
        f"The advice data file {label} is broken: {detail}.",
        f"Fix {label} (plain TOML text), or report this as a bug in SpringCheck.",
    )


def read_data_file(name: str | Path) -> Fields:
    """Read one TOML data file, by name inside :data:`DATA_DIR` or by path.

    Raises
    ------
    DataFileError
        If the file is missing or not valid TOML (the message gives the line).
    """
    path = Path(name) if Path(name).is_absolute() else DATA_DIR / name
    label = data_file_label(path)
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError:
        raise _broken(label, "the file is missing") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise _broken(label, f"it is not valid TOML ({err})") from None
    return Fields(table, label, "")


class Fields:
    """One table of a data file, with typed getters that name the file and field on error.

    Parameters
    ----------
    table : mapping
        The parsed TOML table.
    label : str
        The file, as shown in messages.
    where : str
        Which part of the file this table is, e.g. ``"[[exercise]] 'clamshell'"``; empty at top level.
    """

    def __init__(self, table: Mapping[str, Any], label: str, where: str) -> None:
        self._table = table
        self.label = label
        self.where = where

    def error(self, key: str, problem: str) -> DataFileError:
        """A :class:`DataFileError` naming the file, this table and the field."""
        place = f"{self.where}, field {key!r}" if self.where else f"field {key!r}"
        return _broken(self.label, f"{place} {problem}")

    def keys(self) -> list[str]:
        return list(self._table)

    def _get(self, key: str, kind: type, kind_name: str) -> Any:
        if key not in self._table:
            raise self.error(key, "is missing")
        value = self._table[key]
        if not isinstance(value, kind):
            raise self.error(key, f"should be {kind_name}, not {type(value).__name__} {value!r}")
        return value

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self._get(key, str, "text in quotes")
        if not value.strip():
            raise self.error(key, "is empty")
        return value

    def optional_text(self, key: str, default: str = "") -> str:
        """A non-empty string if present, else ``default``."""
        return self.text(key) if key in self._table else default

    def flag(self, key: str, default: bool = False) -> bool:
        """``true`` or ``false`` if present, else ``default``."""
        return self._get(key, bool, "true or false") if key in self._table else default

    def texts(self, key: str) -> tuple[str, ...]:
        """A non-empty list of non-empty strings."""
        values = self._get(key, list, "a list of texts")
        if not values:
            raise self.error(key, "is an empty list")
        for n, value in enumerate(values, start=1):
            if not isinstance(value, str) or not value.strip():
                raise self.error(key, f"item {n} should be non-empty text, not {value!r}")
        return tuple(values)

    def choice(self, key: str, options: Collection[str]) -> str:
        """A string that must be one of ``options`` (e.g. a key of another table)."""
        value = self.text(key)
        if value not in options:
            raise self.error(key, f"is {value!r}, which is not one of {sorted(options)}")
        return value

    def table(self, key: str) -> Fields:
        """A sub-table, e.g. ``[labels]``."""
        return Fields(self._get(key, dict, "a table"), self.label, f"[{key}]")

    def tables(self, key: str, name_key: str) -> list[Fields]:
        """An array of tables, e.g. ``[[exercise]]``, each named in messages by its ``name_key``."""
        rows = self._get(key, list, f"a list of [[{key}]] tables")
        if not rows:
            raise self.error(key, "has no entries")
        out = []
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise self.error(key, f"entry {n} should be a [[{key}]] table")
            name = row.get(name_key)
            where = f"[[{key}]] {name!r}" if isinstance(name, str) and name else f"[[{key}]] number {n}"
            out.append(Fields(row, self.label, where))
        return out

    def text_table(self, key: str) -> dict[str, str]:
        """A sub-table of non-empty strings, in file order."""
        sub = self.table(key)
        return {k: sub.text(k) for k in sub.keys()}

    def texts_table(self, key: str) -> dict[str, tuple[str, ...]]:
        """A sub-table of lists of non-empty strings, in file order."""
        sub = self.table(key)
        return {k: sub.texts(k) for k in sub.keys()}

    def only(self, *allowed: str) -> None:
        """Reject fields not in ``allowed``: a misspelt optional field would otherwise be ignored."""
        for key in self._table:
            if key not in allowed:
                raise self.error(key, f"is not a known field (known: {', '.join(allowed)})")

