"""One line in the daily digest when questions are due for review.

It rides along in a digest that goes out anyway (assignments, check-ins): due reviews alone
never send an e-mail, and a person with reviews off (0 a day, on the profile) gets no line.
"""

from datetime import date

from flask_babel import ngettext
from sqlalchemy import func, select

from learnpath.accounts.models import User
from learnpath.extensions import db
from learnpath.paths.reminders import DigestSection, absolute_url
from learnpath.reviews import services
from learnpath.reviews.models import ReviewCard


def digest_section(_today: date) -> dict[int, DigestSection]:
    """{user id: one line} for active people with reviews on and cards due now (one query)."""
    rows = db.session.execute(
        select(ReviewCard.user_id, func.count(ReviewCard.id), User.daily_reviews)
        .join(User, User.id == ReviewCard.user_id)
        .where(ReviewCard.retired.is_(False), ReviewCard.due <= services.now(),
               User.active.is_(True), User.daily_reviews > 0)
        .group_by(ReviewCard.user_id, User.daily_reviews)).all()
    return {user_id: _section(min(count, limit)) for user_id, count, limit in rows}


def _section(count: int) -> DigestSection:
    def lines(_today: date) -> list[str]:
        return [ngettext("%(num)d question is waiting for a two-minute review:",
                         "%(num)d questions are waiting for a two-minute review:", count),
                "  " + absolute_url("reviews.review")]

    def subject() -> str:  # never used: the section is not standalone
        return ngettext("%(num)d question to review", "%(num)d questions to review", count)

    return DigestSection(count=0, lines=lines, subject=subject, standalone=False)
