"""`makemessages`, without fuzzy matching: msgmerge's guess for a new string (the translation of a
similar old one, marked fuzzy) is worse than none — it reads as translated in review and is wrong
("No park matches." guessed as 没有符合条件的结对). A new string stays empty, and
tests/i18n refuses an empty translation."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
