"""A real local SMTP server (aiosmtpd) for the sign-in e-mail tests, as the reminder tests use."""

import re
import time

import pytest
from aiosmtpd.controller import Controller
from test_reminders import Inbox, free_port

LINK = re.compile(r"https://learn\.example\.com(/\S+)")


class SlowInbox(Inbox):
    """Keeps messages like Inbox; each DATA can be made to take a while."""

    delay = 0.0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def wait_for(self, address, count=1, timeout=10.0):
        """The messages to this address once there are `count` of them (mail may be sent
        after the response, from a background thread)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{count} message(s) to {address} expected, got {self.to(address)}")


@pytest.fixture(name="inbox")
def inbox_fixture(app):
    handler = SlowInbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_USERNAME=None, MAIL_DEFAULT_SENDER="learnpath@example.com",
                      BASE_URL="https://learn.example.com/")
    yield handler
    controller.stop()


def link_in(message) -> str:
    """The site path of the one link in the e-mail's body."""
    found = LINK.findall(message.get_content())
    assert len(found) == 1, message.get_content()
    return found[0]
