"""Files newsgraph writes because a user named them (``export -o FILE``, ``dyad --chart FILE``).

One rule for all of them, so a mistyped name can never destroy data:

* ``output.is_store`` -- the file is the store itself or one of its ``-wal``,
  ``-shm``, ``-journal`` files (``Store.files()``; same file by
  ``os.path.samefile``, so hard links and symlinks to it count too);
* ``output.is_folder`` / ``output.no_folder`` -- a folder was named, or the
  folder to write in does not exist;
* ``output.symlink`` -- a symbolic link to a regular file (or to nothing):
  newsgraph never writes through a link over a file it was not named;
* ``output.unwritable`` -- the OS refused (permissions, disk full).

Each is an ``OutputError`` raised before anything is written. A regular file
is written to a temporary sibling, given the mode of the file it replaces (else
``0o666`` minus the umask) and renamed into place: a failed write never leaves
a half file nor truncates the old one. A FIFO or a device (``/dev/stdout``) is
written in place.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TypeVar

from newsgraph.errors import OutputError

_T = TypeVar("_T")


def check_output(path: Path, protected: Iterable[str | os.PathLike[str]] = ()) -> bool:
    """Refuse an output path that must not be written (``OutputError``, see the module docstring).

    Returns True when ``path`` is a FIFO or a device to write in place, False for a
    regular file (new or existing) to replace atomically.
    """
    for other in protected:
        if _same_file(path, Path(other)):
            raise OutputError(f"{path} is the store's own file {other}; refusing to overwrite it",
                              code="output.is_store")
    try:
        st = os.stat(path)  # follows links
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", code="output.unwritable") from exc
    if os.path.islink(path) and (st is None or stat.S_ISREG(st.st_mode)):
        raise OutputError(f"{path} is a symbolic link{' to a file' if st else ' to nothing'}; "
                          "give the file itself", code="output.symlink")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path} is a folder; give a file name", code="output.is_folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        return True
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist", code="output.no_folder")
    return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


def write_output(path: Path, write: Callable[[IO[bytes]], _T],
                 protected: Iterable[str | os.PathLike[str]] = ()) -> _T:
    """``write(stream)`` into ``path`` under the rules above; returns what ``write`` returned."""
    if check_output(path, protected):
        with open(path, "wb") as stream:
            return write(stream)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as stream:
            n = write(stream)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}", code="output.unwritable") from exc
        raise
    return n


def _umask() -> int:
    """The process umask, read without changing it where /proc tells it (no race with other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask
