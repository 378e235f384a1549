"""The `obligations` command line.

Exit codes (the same for every command):
  0  answered, or the check passed
  1  a check failed: errors in clause files, a file not formatted, a conflict
     or a failing property where the command is a check
  2  bad usage or bad input: unknown option, identifier or date, unreadable file,
     or a command whose budget (--budget, --budget-memory) ran out before any answer
  3  internal error (a bug: please report it with the command that caused it)

argparse rather than a CLI framework: start-up time is part of every query's
latency (see benchmarks/), and argparse costs nothing to import.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from obligations.errors import CorpusError, ObligationsError, UsageError  # noqa: F401 (UsageError re-exported)

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EPILOG_EXIT = """exit codes: 0 answered / check passed, 1 check failed (errors, unformatted file,
conflict found, property failed), 2 bad usage or input, 3 internal error"""

_CHOICE = re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)")


class _Parser(argparse.ArgumentParser):
    def _get_formatter(self):
        # argparse makes a formatter for each option it adds (to check its metavar), and each asks shutil for
        # the terminal's width: importing shutil (with the bz2 and lzma it imports) was ~1.5 ms of every query.
        return self.formatter_class(prog=self.prog, width=_width())

    def error(self, message: str):  # argparse exits 2 itself; keep its message, lose the traceback risk
        m = _CHOICE.match(message)
        if m:
            from obligations.diagnostics import closest

            opt, bad, choices = m.groups()
            known = [c.strip().strip("'") for c in choices.split(",")]
            hit = closest(bad, known)
            hint = f' (did you mean "{hit[0]}"?)' if hit else f" (one of: {', '.join(known)})"
            print(f"{self.prog}: error: {opt}: unknown value \"{bad}\"{hint}", file=sys.stderr)
            raise SystemExit(EXIT_USAGE)
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _width() -> int:
    """What argparse's formatter takes by default: shutil.get_terminal_size().columns - 2."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def _fmt_help(parser: argparse.ArgumentParser, examples: str) -> None:
    parser.epilog = "examples:\n" + examples + "\n\n" + EPILOG_EXIT
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, only that command is configured (the others are left out), which spares a
    query from the shell importing and configuring every command."""
    from obligations import commands

    p = _Parser(
        prog="obligations",
        description="A formal treaty-obligation rules engine: ask what treaties oblige, with their grounds.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG_EXIT,
    )
    p.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in commands.REGISTRY:
        if only is not None and name != only:
            # `only` is the command being run: the others are not needed to parse or to print its help and
            # errors (the command list shows only in the top-level help, which `only` never prints).
            continue
        spec = commands.spec(name)
        sp = sub.add_parser(spec.name, help=spec.help, description=spec.description)
        spec.configure(sp)
        _fmt_help(sp, spec.examples)
        sp.set_defaults(_run=spec.run)
    return p


class _Version(argparse.Action):
    """--version, resolved only when asked: importlib.metadata costs a query ~15 ms at start-up."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"obligations {_version()}")
        raise SystemExit(EXIT_OK)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("obligations")
    except Exception:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run a command. Everything it prints goes through a SafeStream: no character from a clause file, a
    dataset or a file name can drive the terminal (obligations/safetext.py)."""
    from obligations.render import use_color
    from obligations.safetext import guarded

    with guarded(use_color):
        return _main(argv)


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from obligations.commands import REGISTRY

    parser = build_parser(argv[0] if argv and argv[0] in REGISTRY else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_USAGE
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_USAGE
    from obligations.budget import BudgetExhausted, budget_message, enforced, memory_message, overrun_note

    try:
        with enforced(args, UsageError):
            code = int(args._run(args) or 0)
        note = overrun_note(args)
        if note:
            print(f"obligations {args.command}: note: {note}", file=sys.stderr)
        return code
    except BudgetExhausted as e:
        why = budget_message(args) if e.what == "time" else f"error: {memory_message(args)}"
        print(f"obligations {args.command}: {why}", file=sys.stderr)
        return EXIT_USAGE
    except CorpusError as e:
        from obligations.commands.common import print_diagnostics

        print_diagnostics(e.diagnostics, e.texts)
        print(f"obligations {args.command}: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as e:
        from obligations.commands.common import OPTION

        opt = OPTION.get(getattr(e, "field", None) or "")
        where = f" ({opt})" if opt and opt not in str(e) else ""
        print(f"obligations {args.command}: error{where}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `obligations list ... | head`: the reader left; nothing is lost.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except RecursionError:
        print(f"obligations {args.command}: error: input nested too deeply to process", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print(f"obligations {args.command}: error: {memory_message(args)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # never a traceback: a bug is reported as one
        print(f"obligations {args.command}: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        print("this is a bug in obligations; please report it with the command that caused it", file=sys.stderr)
        if os.environ.get("OBLIGATIONS_DEBUG"):
            raise
        return EXIT_INTERNAL


def run() -> None:
    code = main()
    # Tearing the interpreter down (freeing the corpus object by object) costs a query from the shell more than
    # some of its answers: once the output is flushed, leave at once -- unless something still needs the normal
    # exit (an exit handler, another thread), or the flush fails (then sys.exit reports it as usual).
    import atexit

    threading = sys.modules.get("threading")
    if atexit._ncallbacks() == 0 and (threading is None or threading.active_count() == 1):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
