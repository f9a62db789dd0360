"""The `fangkong` console script: Django's manage.py under the product's name.

`fangkong worker` is the background-task consumer (Huey's run_huey); every other word is a
management command (`fangkong serve`, `fangkong demo`, `fangkong import persons FILE`...).
"""

import os
import sys

ALIASES = {"worker": "run_huey"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "fangkong"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
