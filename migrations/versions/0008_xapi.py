"""xapi: statement outbox and Open Badges

Revision ID: 0008_xapi
Revises: 0007_api
Create Date: 2026-11-23 16:05:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0008_xapi'
down_revision = '0007_api'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
