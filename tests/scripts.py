"""Management commands run as a script runs them."""

import sys

from django.core.management import call_command
from django.core.management.base import CommandError


def run_script(capsys, name: str, *arguments) -> tuple[str, str, int]:
    """Run the command `name`; (standard output, standard error, exit code)."""
    try:
        call_command(name, *arguments)
        code = 0
    except CommandError as error:
        print(error, file=sys.stderr)
        code = error.returncode
    out, err = capsys.readouterr()
    return out, err, code
