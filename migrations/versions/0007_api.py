"""api: personal access tokens

Revision ID: 0007_api
Revises: 0006_privacy
Create Date: 2026-11-23 16:05:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0007_api'
down_revision = '0006_privacy'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
