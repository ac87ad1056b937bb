"""A mail backend that refuses one address, as a real server refuses a bad mailbox."""

from django.core.mail.backends.locmem import EmailBackend

REFUSED = "refused@example.org"


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        if any(REFUSED in message.to for message in messages):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)
