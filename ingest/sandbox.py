"""Parse untrusted files without trusting the parsers.

Every file is parsed in a throwaway child process with a wall-clock time limit, a memory cap (`RLIMIT_AS`)
and a CPU-time backstop (`RLIMIT_CPU`), so a malformed or malicious paper costs one skipped file with a
reason: never a crash, a hang or a swollen ingest process.

The children are forked by a small parse server: a separate Python process started once per caller, with
the parsers preloaded. Forking it is cheap (milliseconds) and never copies the threads of a caller that has
torch or Chroma loaded (forking a threaded process can deadlock the child). The server exits as soon as its
caller goes away and takes its current child with it, so `kill -9` of `council ingest` leaves no parser.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import math
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path
from typing import Any

from ingest.documents import ParsedDocument
from ingest.loaders import LoadError, load_file

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 1024  # address space one parse may add on top of the parse server's own
SERVER_GRACE_S = 15.0  # how long past a file's time limit the server itself may take to answer
_PRELOAD = (
    "ingest.loaders",
    "ingest.text_blocks",
    "ingest.frontmatter",
    "ctypes",
    "pypdf",
    "pypdfium2",
    "pypdfium2.raw",
    "ingest.pdf_layout",
    "docx",
    "bs4",
    "lxml.etree",
    "lxml.html",
    "yaml",
)
_PR_SET_PDEATHSIG = 1
_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the `ingest` package
_SERVER_MAIN = (
    "import sys; sys.path.insert(0, sys.argv[1]); from ingest.sandbox import serve; serve(int(sys.argv[2]))"
)

Loader = Callable[..., ParsedDocument]
Outcome = tuple[str, Any]  # ("ok", ParsedDocument) | ("load_error" | "timeout" | "memory" | "crash", str)


class ParseLimitError(LoadError):
    """A parse stopped by a limit or a parser crash. `kind` is "timeout", "memory" or "crash"."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def safe_load(
    path: Path,
    max_bytes: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    loader: Loader = load_file,
) -> ParsedDocument:
    """`load_file` in a child process with limits. Raises `LoadError` (or `ParseLimitError`) with a one-line
    reason a person can act on. `loader` must be a module-level function (it is sent to the server by name).
    """
    request = (str(Path(path).resolve()), max_bytes, float(timeout_s), int(memory_mb), loader)
    kind, payload = (getattr(_THREAD, "server", None) or _SERVER).run(request)
    if kind == "ok":
        assert isinstance(payload, ParsedDocument)
        return payload
    if kind == "load_error":
        raise LoadError(str(payload))
    if kind == "timeout":
        raise ParseLimitError(
            f"parsing took longer than {timeout_s:g} s (per_file_timeout_s); the file is malformed or too "
            "complex: split it, or raise COUNCIL_PER_FILE_TIMEOUT_S",
            "timeout",
        )
    if kind == "memory":
        raise ParseLimitError(
            f"parsing needed more than {memory_mb} MB of memory; the file may be a decompression bomb",
            "memory",
        )
    raise ParseLimitError(f"the parser failed ({payload}); the file is probably corrupt", "crash")


# ---------------------------------------------------------------- the caller's side


class _ServerHandle:
    """One parse server per calling process, started on first use and restarted if it dies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._owner_pid = 0

    def run(self, request: tuple[Any, ...]) -> Outcome:
        timeout_s = float(request[2])
        with self._lock:
            conn = self._ensure()
            try:
                conn.send(request)
                if not conn.poll(timeout_s + SERVER_GRACE_S):
                    self._stop()
                    return ("timeout", "")
                outcome = conn.recv()
            except (EOFError, OSError) as exc:
                self._stop()
                return ("crash", f"parse server lost ({type(exc).__name__})")
        if not (isinstance(outcome, tuple) and len(outcome) == 2):
            return ("crash", "parse server sent a malformed reply")
        return outcome

    def _ensure(self) -> Connection:
        if self._owner_pid != os.getpid():  # a forked copy of a caller must not share its parent's server
            self._proc, self._conn, self._owner_pid = None, None, os.getpid()
        if self._proc is not None and self._proc.poll() is None and self._conn is not None:
            return self._conn
        self._stop()
        ours, theirs = Pipe(duplex=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER_MAIN, str(_ROOT), str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            close_fds=True,
        )
        theirs.close()
        ours.send(list(sys.path))
        self._conn = ours
        return ours

    def _stop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._proc is not None:
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc, self._conn = None, None

    def close(self) -> None:
        with self._lock:
            if self._owner_pid == os.getpid():
                self._stop()


_SERVER = _ServerHandle()
atexit.register(_SERVER.close)
_THREAD = threading.local()  # a thread given its own server (`own_parse_server`) parses beside the others


@contextlib.contextmanager
def own_parse_server() -> Iterator[None]:
    """Within this block, this thread's `safe_load` calls use a parse server of their own (started on first use,
    stopped at the end), so several threads parse at once, each file still in its own limited child."""
    handle = _ServerHandle()
    _THREAD.server = handle
    try:
        yield
    finally:
        _THREAD.server = None
        handle.close()


# ---------------------------------------------------------------- the parse server


def serve(fd: int) -> None:
    """Main loop of the parse server: one request at a time, each parsed in a freshly forked child."""
    conn = Connection(fd)
    try:
        sys.path[:] = conn.recv()
    except EOFError:
        os._exit(0)
    for name in _PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # malformed-file chatter is not for people
    warnings.simplefilter("ignore")
    _warm_up()
    gc.freeze()  # keep the preloaded modules' pages shared with the children (cheaper forks)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        except Exception as exc:  # e.g. a loader that cannot be imported here
            outcome: Outcome = ("crash", f"bad request ({type(exc).__name__}: {exc})")
        else:
            outcome = _parse_in_child(conn, *request)
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            os._exit(0)


_WARM_UP = {
    "warm.html": "<html><head><title>t</title><meta name='date' content='2025-01-01'></head>"
    "<body><nav class='menu'>m</nav><main><h1>Heading</h1><p>Text.</p><table><tr><td>a</td></tr></table>"
    "<ul><li>item</li></ul></main></body></html>",
    "warm2.html": "<html><body><div>Text without a main element.</div></body></html>",
    "warm.md": "---\ntitle: t\ndate: 2025-01-01\n---\n# Heading\n\nText.\n\n| a | b |\n|---|---|\n- item\n",
}


def _warm_up() -> None:
    """Parse tiny trusted samples once, so caches the parsers fill lazily (compiled CSS selectors, regexes)
    are inherited by every child instead of being rebuilt per file."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="council-warm-") as folder:
        for name, text in _WARM_UP.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            with contextlib.suppress(Exception):
                load_file(path)


def _parse_in_child(
    caller: Connection, path: str, max_bytes: int | None, timeout_s: float, memory_mb: int, loader: Loader
) -> Outcome:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child_main(
            Connection(write_fd, readable=False), caller, Path(path), max_bytes, timeout_s, memory_mb, loader
        )
    os.close(write_fd)
    result = Connection(read_fd, writable=False)
    deadline = time.monotonic() + timeout_s
    outcome: Outcome | None = None
    try:
        while outcome is None:
            left = deadline - time.monotonic()
            ready = wait([result, caller], timeout=max(left, 0)) if left > 0 else []
            if not ready:
                outcome = ("timeout", "")
            elif caller in ready and result not in ready:  # the caller hung up (killed): stop at once
                _kill(pid)
                os._exit(0)
            else:
                try:
                    got = result.recv()
                    ok = isinstance(got, tuple) and len(got) == 2
                    outcome = got if ok else ("crash", "malformed result")
                except (EOFError, OSError):
                    outcome = ("died", "")
    finally:
        result.close()
    status = _kill(pid)
    if outcome[0] == "died":
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            if sig == signal.SIGXCPU:
                return ("timeout", "")
            return ("crash", f"killed by {_signal_name(sig)}")
        return ("crash", f"exit code {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}")
    return outcome


def _kill(pid: int) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        return os.waitpid(pid, 0)[1]
    return 0


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def _child_main(
    out: Connection,
    caller: Connection,
    path: Path,
    max_bytes: int | None,
    timeout_s: float,
    memory_mb: int,
    loader: Loader,
) -> None:
    code = 0
    try:
        with contextlib.suppress(OSError):
            caller.close()
        _die_with_parent()
        _limit_resources(timeout_s, memory_mb)
        outcome: Outcome
        try:
            outcome = ("ok", loader(path, max_bytes=max_bytes))
        except LoadError as exc:
            outcome = ("load_error", str(exc))
        except MemoryError:
            outcome = ("memory", "")
        except RecursionError:
            outcome = ("crash", "RecursionError: the file is nested too deeply")
        except Exception as exc:
            outcome = ("crash", f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:120]}")
        try:
            out.send(outcome)
        except MemoryError:
            out.send(("memory", ""))
        except Exception as exc:  # e.g. a result that cannot be pickled
            out.send(("crash", f"result could not be returned ({type(exc).__name__})"))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    """Ask the kernel to kill this child if the parse server goes (the server exits with its caller)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _limit_resources(timeout_s: float, memory_mb: int) -> None:
    limit = _address_space_bytes() + memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = math.ceil(timeout_s) + 2  # a backstop behind the wall-clock watchdog; SIGXCPU ends the child
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _address_space_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 512 * 1024 * 1024
