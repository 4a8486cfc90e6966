"""privacy: personal-data registry, audit log, retention aggregates

Revision ID: 0006_privacy
Revises: 0005_engagement
Create Date: 2026-11-23 16:05:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0006_privacy'
down_revision = '0005_engagement'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
