#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainparty.settings")
    # manage.py is the developer's and operator's tool: on a checkout it runs in development mode
    # unless told otherwise. Production sets DEBUG=0 (docker-compose.yml), and the web server
    # (wsgi.py) and the Celery workers never take this default.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
