"""The directives module's part of the route walker (tests/walk)."""

from fangkong.directives import services
from tests.directives import helpers
from tests.walk.test_every_route import MARKER

PARAMS = [
    (r"^directives:recipient_", lambda w: {"pk": w["directive_recipient"].pk}),
    (r"^directives:received_", lambda w: {"pk": w["directive_recipient"].pk}),
    (r"^directives:attachment_", lambda w: {"pk": w["directive_attachment"].pk}),
    (r"^directives:", lambda w: {"pk": w["directive"].pk}),
    (r"^api-directive-received-", lambda w: {"pk": w["directive_recipient"].pk}),
    (r"^api-directive-", lambda w: {"pk": w["directive"].pk}),
]


def world(tree, users, base):
    directive = helpers.directive(
        users.command,
        [tree.town, tree.village],
        title=f"{MARKER}通知",
        files=[helpers.pdf(f"{MARKER}.pdf")],
    )
    recipient = helpers.recipient(directive, tree.village)
    services.recipient_sign(actor=users.village, recipient=recipient)
    services.feedback_submit(actor=users.village, recipient=recipient, text=MARKER)
    return {
        "directive": directive,
        "directive_recipient": recipient,
        "directive_attachment": directive.attachments.get(),
    }
