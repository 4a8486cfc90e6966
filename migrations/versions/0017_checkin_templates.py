"""check-in templates authors edit, when someone joined a team, when the last digest went out

Seeds the three starter templates (the 30-day, quarterly development and stay conversation) as
editable rows. Their text is copied here, not imported: a migration keeps its data as it was.

Revision ID: 0017_checkin_templates
Revises: 0016_quiz_rules
Create Date: 2026-12-05 07:20:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_checkin_templates'
down_revision = "0016_quiz_rules"
branch_labels = None
depends_on = None

STARTERS = [
    {"key": "thirty-day", "title_en": "The 30-day conversation",
     "title_nl": "Het 30-dagengesprek",
     "module_en": "the-30-day-conversation", "module_nl": "het-30-dagengesprek",
     "questions_en": "\n".join((
         "How does the job compare to what you expected when you signed?",
         "What do you need that you don't have yet? Tools, access, information?",
         "What do we do here that seems odd or overly complicated to you?",
         "Where would you like to be two months from now?")),
     "questions_nl": "\n".join((
         "Hoe verhoudt de baan zich tot wat je verwachtte toen je tekende?",
         "Wat heb je nodig dat je nog niet hebt? Denk aan tools, toegang of informatie.",
         "Wat doen wij hier dat je vreemd of omslachtig vindt?",
         "Waar wil je over twee maanden staan?"))},
    {"key": "quarterly", "title_en": "The quarterly development conversation",
     "title_nl": "Het kwartaalgesprek over ontwikkeling",
     "module_en": None, "module_nl": "het-kwartaalgesprek",
     "questions_en": "\n".join((
         "What are you most proud of from the past quarter?",
         "What went less well, and what did you learn from it?",
         "Where do you want to grow next quarter?",
         "What do you need from me to make that happen?")),
     "questions_nl": "\n".join((
         "Waar ben je het meest trots op van het afgelopen kwartaal?",
         "Wat ging minder goed, en wat heb je daarvan geleerd?",
         "Waar wil je het komend kwartaal in groeien?",
         "Wat heb je van mij nodig om dit te laten lukken?"))},
    {"key": "stay", "title_en": "The stay conversation", "title_nl": "Het stay-gesprek",
     "module_en": None, "module_nl": "het-stay-gesprek",
     "questions_en": "\n".join((
         "What do you look forward to when you start work on a Monday morning?",
         "What keeps you here, if you're completely honest?",
         "If you left tomorrow, what would the reason be?",
         "What can I do to make your work here better?")),
     "questions_nl": "\n".join((
         "Waar kijk je naar uit als je maandagochtend aan je werk begint?",
         "Wat houdt je hier, als je heel eerlijk bent?",
         "Als je morgen zou vertrekken, wat zou daar de reden voor zijn?",
         "Wat kan ik doen om je werk hier beter te maken?"))},
]


def upgrade():
    table = op.create_table('check_in_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=False),
    sa.Column('title_nl', sa.String(length=120), nullable=False),
    sa.Column('questions_en', sa.Text(), nullable=False),
    sa.Column('questions_nl', sa.Text(), nullable=False),
    sa.Column('module_en', sa.String(length=120), nullable=True),
    sa.Column('module_nl', sa.String(length=120), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submit_token', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_templates')),
    sa.UniqueConstraint('key', name=op.f('uq_check_in_templates_key')),
    sa.UniqueConstraint('submit_token', name=op.f('uq_check_in_templates_submit_token'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(table, [{**row, "updated_at": now} for row in STARTERS])
    with op.batch_alter_table('team_memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_digest_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_digest_at')
    with op.batch_alter_table('team_memberships', schema=None) as batch_op:
        batch_op.drop_column('joined_at')
    op.drop_table('check_in_templates')
