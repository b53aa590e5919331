#!/usr/bin/env python
import os
import sys


def main():
    # Without a settings module, production (which refuses to start without its secrets):
    # never DEBUG by accident. `make run` and `make test` name theirs.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
