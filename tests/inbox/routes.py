"""The inbox routes in the permission matrix (tests/matrix.py)."""

from inbox.models import Notification
from tests.matrix import BUSINESS, everyone, page


def objects(world):
    note = Notification.objects.create(recipient=world.staff, target=world.chain_a, subject="矩阵")
    return {"notification": note}


ROUTES = {
    "inbox:list": page(),
    "inbox:read-all": page(method="post", **dict.fromkeys(BUSINESS, 302)),
    # staff's own notification: nobody else learns it exists
    "inbox:read": page(ok=[], denied=404, kwargs=lambda w, o: {"pk": o.notification.pk}, method="post", staff=302),
    "issues/inbox/": everyone(301),  # the old address: a permanent redirect to the inbox
}
