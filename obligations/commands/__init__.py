"""One module per command; each exposes a `Command` spec."""

from __future__ import annotations

from obligations.commands import (ask_cmd, atop_cmds, check_cmd, conflicts_cmd, diff_cmd, eligible_cmd, fmt_cmd, list_cmd, prove_cmd,
                                  schema_cmd, who_cmd)

COMMANDS = [ask_cmd.SPEC, who_cmd.SPEC, conflicts_cmd.SPEC, eligible_cmd.SPEC, prove_cmd.SPEC, diff_cmd.SPEC, list_cmd.SPEC, check_cmd.SPEC, fmt_cmd.SPEC, schema_cmd.SPEC, *atop_cmds.SPECS]
