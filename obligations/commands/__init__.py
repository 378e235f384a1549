"""One module per command; each exposes a `Command` spec."""

from __future__ import annotations

from obligations.commands import check_cmd, fmt_cmd

COMMANDS = [check_cmd.SPEC, fmt_cmd.SPEC]
